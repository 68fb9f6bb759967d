extensions = ["template_cache"]
templates_path = ["_templates"]
