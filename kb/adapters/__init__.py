"""Adapters: the generated site handed to a site generator (MkDocs today) or written out as a plain project."""
