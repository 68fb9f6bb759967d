extensions = ["myst_parser", "zhiyuan.posts.model"]
language = "zh_CN"
myst_enable_extensions = ["dollarmath"]
latest_updates_post_pattern = ["posts/*/*"]
latest_updates_excerpt_length = 20
