"""Stage 3: every page of the site rendered as Markdown from Jinja2 templates (package data), maps and charts."""
