# Stable interface: make check | build | serve | test (see README.md).
# Each target creates or updates the virtual environment itself.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# front-end packages pinned by package-lock.json (map geometry, Decap CMS, axe-core), no install scripts
NPM_STAMP := node_modules/.installed-stamp
SITE_DIR ?= site
OVERLAP := ../shared/tools/source_overlap.py
export NO_MKDOCS_2_WARNING := 1
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# Values typed by a contributor reach the recipes through the environment, never pasted into
# a command line: taken verbatim ($(value): make expands nothing in them), exported, and read
# by the shell as "$$TITRE" / "$$NOM", quoted (a back-quote or $(…) in a title stays text).
override TITRE := $(value TITRE)
override NOM := $(value NOM)
export TITRE NOM

.PHONY: help check build serve editer test lint bench nouvelle-cooperation nouvelle-recommandation chercher clean

help:
	@echo "make serve   construire et servir le site (http://127.0.0.1:8000)"
	@echo "make test    lancer tous les tests"
	@echo "make check   valider le contenu (rapide)"
	@echo "make chercher NOM=\"Carhaix\"  trouver le code officiel d'une commune, d'une intercommunalité…"
	@echo "make build   construire le site dans $(SITE_DIR)/"
	@echo "make editer  l'éditeur /admin/ sur cette machine, sans compte (http://127.0.0.1:8000/admin/)"
	@echo "make bench   mesurer les performances (écrit BENCHMARKS.md)"
	@echo "make nouvelle-cooperation TITRE=\"…\" / make nouvelle-recommandation TITRE=\"…\""

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm est nécessaire (Node.js 18 ou plus récent : sudo apt-get install npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NPM_STAMP)

check: $(STAMP)
	$(PY) -m kb check content
	@if [ -f $(OVERLAP) ]; then $(PY) $(OVERLAP) content; \
	else echo "(détection des passages copiés : ../shared/tools absent, étape sautée)"; fi

chercher: $(STAMP)
	$(PY) -m kb.content.cog chercher "$$NOM"

build: $(STAMP) $(NPM_STAMP)
	$(PY) -m kb build --site-dir $(SITE_DIR)

serve: $(STAMP) $(NPM_STAMP)
	$(VENV)/bin/mkdocs serve --strict --dirty

# The /admin/ editor on this machine: Decap's local backend (decap-server, pinned in
# package-lock.json) writes into content/, and the live preview shows the result. Its port is the
# one the generated config.yml names (kb/publish/decap.py, LOCAL_BACKEND).
editer: $(STAMP) $(NPM_STAMP)
	@echo "Éditeur local : http://127.0.0.1:8000/admin/ (fiches écrites dans content/ ; Ctrl+C pour arrêter)"
	@PORT=8081 BIND_HOST=127.0.0.1 MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" LOG_LEVEL=warn \
	  node node_modules/decap-server/dist/index.js & server=$$!; \
	  trap 'kill $$server' EXIT INT TERM; \
	  $(VENV)/bin/mkdocs serve --strict --dirty

# The layers of kb/ (import-linter contract in pyproject.toml), then every test.
lint: $(STAMP)
	$(VENV)/bin/lint-imports

test: lint $(NPM_STAMP)
	$(PY) -m pytest

bench: $(STAMP) $(NPM_STAMP)
	$(PY) scripts/bench.py

nouvelle-cooperation: $(STAMP)
	$(PY) -m kb nouvelle cooperation -- "$$TITRE"

nouvelle-recommandation: $(STAMP)
	$(PY) -m kb nouvelle recommandation -- "$$TITRE"

clean:
	rm -rf $(SITE_DIR) .pytest_cache
