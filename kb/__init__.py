"""Knowledge base of territorial cooperations: content files -> records -> graph -> pages.

Nothing in this package imports MkDocs: the hooks in hooks/ adapt it to MkDocs,
and the same functions serve the command-line tools in scripts/ and kb.cli.
"""
