"""From an issue to a fiche: the body of a GitHub issue form turned into a content file
(``python -m kb depuis-ticket FICHIER``, run by .github/workflows/ticket.yml)."""
