# Stable interface: make check | build | serve | test (see README.md).
# Each target creates or updates the virtual environment itself.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SITE_DIR ?= site
OVERLAP := ../shared/tools/source_overlap.py
export NO_MKDOCS_2_WARNING := 1
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: help check build serve serve-rapide test bench nouvelle-cooperation nouvelle-recommandation chercher clean

help:
	@echo "make serve   construire et servir le site (http://127.0.0.1:8000)"
	@echo "make serve-rapide  idem, en ne reconstruisant que les pages modifiées"
	@echo "make test    lancer tous les tests"
	@echo "make check   valider le contenu (rapide)"
	@echo "make chercher NOM=\"Carhaix\"  trouver le code officiel d'une commune, d'une intercommunalité…"
	@echo "make build   construire le site dans $(SITE_DIR)/"
	@echo "make bench   mesurer les performances (écrit BENCHMARKS.md)"
	@echo "make nouvelle-cooperation TITRE=\"…\" / make nouvelle-recommandation TITRE=\"…\""

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

check: $(STAMP)
	$(PY) -m kb check content
	@if [ -f $(OVERLAP) ]; then $(PY) $(OVERLAP) content; \
	else echo "(détection des passages copiés : ../shared/tools absent, étape sautée)"; fi

chercher: $(STAMP)
	$(PY) -m kb.content.cog chercher "$(NOM)"

build: $(STAMP)
	$(PY) -m kb build --site-dir $(SITE_DIR)

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --strict

# Faster live preview for large content: rebuilds only the pages whose generated
# text changed (kb/incremental.py). Not strict: MkDocs warns about --dirty builds.
serve-rapide: $(STAMP)
	KB_INCREMENTAL=1 $(VENV)/bin/mkdocs serve --dirty

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) scripts/bench.py

nouvelle-cooperation: $(STAMP)
	$(PY) scripts/nouvelle_fiche.py cooperation "$(TITRE)"

nouvelle-recommandation: $(STAMP)
	$(PY) scripts/nouvelle_fiche.py recommandation "$(TITRE)"

clean:
	rm -rf $(SITE_DIR) .pytest_cache
