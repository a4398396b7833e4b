# The README's two commands: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Both distributions, editable: the toolchain with every extra, and the companion app (companion/).
$(STAMP): pyproject.toml companion/pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,pyramid,transifex,audit]' -e ./companion
	touch $@

# axe-core for `i18n-tool audit`, pinned in package-lock.json.
AXE_STAMP := node_modules/.installed

$(AXE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(AXE_STAMP)

# The main job: extract the project's own messages, update catalogs/, build the pseudo-locales,
# compile, summarise; then migrate and seed the companion app's database (var/companion.sqlite3,
# or DATABASE_URL) and serve the app on DEMO_PORT until Ctrl+C. The seed's report (the demo
# logins included) is printed with the URL, just before serving.
DEMO_PORT := 6543

demo: $(STAMP)
	$(BIN)/i18n-tool extract
	$(BIN)/i18n-tool update
	$(BIN)/i18n-tool pseudo
	$(BIN)/i18n-tool compile
	$(BIN)/i18n-tool stats
	$(BIN)/companion db upgrade
	@seeded=$$($(BIN)/companion seed) || exit $$?; \
	echo; \
	echo "Demo:   http://127.0.0.1:$(DEMO_PORT)/   (try ?_LOCALE_=de, ar, ja, en_XA, ar_XB)"; \
	echo "Logins: as reported by \`companion seed\`:"; \
	echo "$$seeded" | sed 's/^/        /'; \
	echo "Emails: written under var/mail/, not sent."; \
	echo; \
	exec $(BIN)/companion serve --port $(DEMO_PORT)

# pytest exits 5 when it collected no test: that is a failure here, and said so.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,pyramid,transifex,audit,bench]'
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/catalogs.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/audit.py
	$(BIN)/python benchmarks/events.py

clean:
	rm -rf $(VENV) node_modules .i18n-tool-cache .pytest_cache .hypothesis
