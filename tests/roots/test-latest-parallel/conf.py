# No ablog here: ablog is not parallel-safe, latest_updates is.
extensions = ["myst_parser", "zhiyuan.pages.latest_updates"]
myst_enable_extensions = ["dollarmath"]
latest_updates_per_page = 3
