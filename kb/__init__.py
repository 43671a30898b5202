"""Knowledge base of territorial cooperations: content files -> records -> graph -> pages -> site.

The stages are sub-packages, each importing only those below it (an import-linter
contract in pyproject.toml): content -> graph -> render -> publish -> search ->
build -> adapters -> cli, on the foundation of infra. Only kb.adapters imports a
site generator (MkDocs); kb.assemble.session.BuildSession runs one build for every
entry point.
"""
