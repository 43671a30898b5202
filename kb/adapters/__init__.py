"""Adapters between the kb pipeline and third-party tools (Python-Markdown extensions)."""
