# kg-builder: two commands on a fresh machine — `make demo` and `make test`.
# Each creates .venv on first use (idempotent: re-run only when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := examples/tass-russia-nato-council.txt
STORE  := out/store
# The competency questions, each with the columns a reader wants to see.
DEMO_QUERIES := \
  actors:canonical,type,name \
  posts:person,post,organisation \
  demands:demander,addressee,content,conditional \
  agreements:name,status,party \
  meetings:name,date,location,participant \
  statements:speaker,quote

# Headless Chromium renders the pictures and pages in the tests and the demo's screenshots.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint smoke bench score clean browser readme-pictures

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[model,dev]"
	touch $(STAMP)

# Chromium and chromedriver from Debian, installed once (skipped when both are on PATH).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif command -v apt-get >/dev/null; then \
	  echo "installing Chromium and chromedriver (Debian packages chromium, chromium-driver)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install \
	    -y -qq --no-install-recommends chromium chromium-driver >/dev/null; \
	else echo "warning: no apt-get here: install Chromium and chromedriver (see README)" >&2; fi

demo: $(STAMP) browser
	rm -rf $(STORE)
	$(BIN)/kg-builder ingest $(SAMPLE) --store $(STORE)
	$(BIN)/kg-builder validate $(STORE)
	@for qc in $(DEMO_QUERIES); do q=$${qc%%:*}; echo; echo "== $$q"; \
	  $(BIN)/kg-builder query $$q --store $(STORE) --columns $${qc#*:} || exit $$?; done
	$(BIN)/kg-builder export --store $(STORE) --format turtle -o out/graph.ttl
	$(BIN)/kg-builder docs -o out/docs
	$(BIN)/kg-builder plot network --store $(STORE) -o out/network.html
	$(BIN)/kg-builder plot timeline --store $(STORE) -o out/timeline.html
	$(BIN)/kg-builder screenshot out/docs/index.html out/network.html out/timeline.html \
	  -o out/docs.png -o out/network.png -o out/timeline.png
	@echo; echo "Open in a browser: out/docs/index.html, out/network.html, out/timeline.html" \
	  "(screenshots: out/docs.png, out/network.png, out/timeline.png)."; \
	  echo "Read the article beside its facts: $(BIN)/kg-builder serve --store $(STORE)," \
	  "then http://127.0.0.1:7878/article/"

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# The same checks run in CI (.ci/run) and, if you use it, as a git pre-commit hook
# (.pre-commit-config.yaml: pre-commit install).
lint: $(STAMP)
	$(BIN)/ruff format --check kg_builder tests benchmarks
	$(BIN)/ruff check kg_builder tests benchmarks
	$(BIN)/mypy

# The wheel, installed in a clean virtual environment of its own, ingests and validates
# the sample there: what a user of `pip install kg-builder` gets works without the checkout.
SMOKE := build/smoke
smoke: $(STAMP)
	rm -rf $(SMOKE) && mkdir -p $(SMOKE)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(SMOKE)/dist .
	$(PYTHON) -m venv $(SMOKE)/venv
	$(SMOKE)/venv/bin/python -m pip install --quiet "$$(ls $(SMOKE)/dist/kg_builder-*.whl)[model]"
	cp $(SAMPLE) $(SMOKE)/sample.txt
	cd $(SMOKE) && venv/bin/kg-builder ingest sample.txt --store store --jobs 1
	cd $(SMOKE) && venv/bin/kg-builder validate store
	cd $(SMOKE) && venv/bin/kg-builder query demands --store store --format csv | head -3

score: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python ../shared/eval/score.py ../shared/eval/dev --verbose

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

# The README's screenshots (docs/img/*.png), remade from the demo and a served article page.
readme-pictures: demo
	@command -v pngquant >/dev/null || $(SUDO) apt-get install -y -qq --no-install-recommends pngquant >/dev/null
	$(BIN)/python docs/pictures.py $(STORE) docs/img

clean:
	rm -rf out build $(VENV) .pytest_cache
