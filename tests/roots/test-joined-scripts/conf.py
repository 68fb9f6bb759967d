extensions = [
    "myst_parser",
    "sphinx_copybutton",
    "zhiyuan.pages.design",
    "zhiyuan.theme.portal",
    # portal_theme loads ablog, which this declares safe for the parallel build's reading
    "zhiyuan.pages.ablog_incremental",
    "zhiyuan.theme.strict_csp",
    "zhiyuan.theme.page_assets",
]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
project = "脚本测试"
html_theme = "sphinx_book_theme"
# as the site: no print and full-screen buttons (their onclick handlers are inline scripts)
html_theme_options = {"use_download_button": False, "use_fullscreen_button": False}
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"  # else the browser asks for /favicon.ico: a 404 in the console
page_assets_left_out = ["sphinx_highlight.js"]
page_assets_scripts_for = {
    "clipboard.min.js": "highlight",
    "copybutton.js": "highlight",
    "design-tabs.js": "sd-tab-set",
    "zy-one.js": "zy-conflict",
    "zy-two.js": "zy-conflict",
    "zy-three.js": "zy-conflict",
}


def setup(app):
    # the conflict page's scripts: the first two set one data attribute to different values
    app.add_js_file("zy-one.js", priority=700, **{"data-zy-sample": "一"})
    app.add_js_file("zy-two.js", priority=700, **{"data-zy-sample": "二"})
    app.add_js_file("zy-three.js", priority=700)
