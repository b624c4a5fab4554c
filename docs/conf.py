# Sphinx configuration of the llmctl Studio documentation (MyST Markdown pages).
# Build: sphinx-build -W -b html docs docs/_build/html   (requirements: docs/requirements.txt)
project = "llmctl Studio"
author = "llmctl maintainers"
copyright = "llmctl maintainers"
release = "0.1.0"
version = release

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
myst_enable_extensions = ["colon_fence", "deflist"]
# Anchors for ## and ### headings, so pages can link to sections (`page.md#section`).
myst_heading_anchors = 3
exclude_patterns = ["_build", "gen", "requirements.txt"]
html_theme = "alabaster"
html_title = "llmctl Studio"
html_theme_options = {"page_width": "1180px", "sidebar_width": "250px"}
