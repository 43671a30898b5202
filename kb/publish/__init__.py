"""Stage 4: files published beside the pages (open data, feeds, schemas, editor) and the HTML sanitiser."""
