"""MkDocs hooks: each event handed to the build's adapter (kb.adapters.mkdocs), nothing else.

The only state is the adapter, which holds the session of the build in progress.
"""
from kb.adapters.mkdocs import MkDocsAdapter

adapter = MkDocsAdapter()


def on_startup(command, dirty):
    adapter.on_startup(command=command, dirty=dirty)


def on_config(config):
    return adapter.on_config(config)


def on_files(files, config):
    return adapter.on_files(files, config=config)


def on_serve(server, config, builder):
    return adapter.on_serve(server, config=config, builder=builder)


def on_page_markdown(markdown, page, config, files):
    return adapter.on_page_markdown(markdown, page=page, config=config, files=files)


def on_page_content(html, page, config, files):
    return adapter.on_page_content(html, page=page, config=config, files=files)


def on_env(env, config, files):
    return adapter.on_env(env, config=config, files=files)


def on_post_build(config):
    adapter.on_post_build(config=config)


def on_build_error(error):
    adapter.on_build_error(error=error)


def on_shutdown():
    adapter.on_shutdown()
