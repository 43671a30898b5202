"""MkDocs hooks: each event handed to the build session's adapter (kb.adapters.mkdocs).

The only state is the adapter, which holds the session of the build in progress.
"""
from kb.adapters.mkdocs import MkDocsAdapter

adapter = MkDocsAdapter()


def on_config(config):
    return adapter.on_config(config)


def on_files(files, config):
    return adapter.on_files(files, config)


def on_page_markdown(markdown, page, config, files):
    return adapter.on_page_markdown(markdown, page)


def on_page_content(html, page, config, files):
    return adapter.on_page_content(html, page)


def on_page_context(context, page, config, nav):
    return adapter.on_page_context(context, page)


def on_post_build(config):
    adapter.on_post_build(config)
