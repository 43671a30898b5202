"""Stage 5: the Pagefind search index of the written site, checked and put in a stable order."""
