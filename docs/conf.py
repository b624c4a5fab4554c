# Sphinx configuration of the llmctl Studio documentation (MyST Markdown pages).
project = "llmctl Studio"
author = "llmctl maintainers"
release = "0.1.0"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
