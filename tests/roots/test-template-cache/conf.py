extensions = ["zhiyuan.theme.template_cache"]
templates_path = ["_templates"]
