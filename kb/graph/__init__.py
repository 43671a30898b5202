"""Stage 2: the knowledge graph (indexes, territories, links, related cases) and the site map of every path."""
