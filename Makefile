# TAC Bot. `make demo` and `make test` set everything up on a fresh clone (Python 3.11+ is all you need).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: demo test console serve lint format install browser lock clean bench

demo: $(STAMP)  ## play a whole case in the console, in simulated time
	$(BIN)/tacbot demo

test: $(STAMP) browser  ## run the tests (PostgreSQL ones skip when no server is reachable, except in CI)
	$(BIN)/pytest

console: $(STAMP)  ## chat with the bot locally, as anyone in a simulated school
	$(BIN)/tacbot console

serve: $(STAMP)  ## run the service (Slack, Teams, the reminder clock)
	$(BIN)/tacbot serve

lint: $(STAMP)  ## ruff (lint and format), mypy, and the import contract
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports


format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)  ## Slack's /tac ack under load; 10,000 due reminders; 500 schools at 1,000 and 100,000 cases
	$(BIN)/python benchmarks/slack_ack.py
	$(BIN)/python benchmarks/reminders.py
	$(BIN)/python benchmarks/scale.py $(BENCH_SCALE_ARGS)

install: $(STAMP) browser

# The portal's browser tests drive Debian's Chromium through its driver: installed here where missing (as
# root, or with sudo), from Debian's own packages. Elsewhere those tests skip, except in CI where they fail.
CHROMIUM_PACKAGES = chromium chromium-driver fonts-noto-color-emoji
browser:  ## Chromium, its WebDriver and the colour emoji font, for the portal's browser tests
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make browser: no apt-get here; install Chromium and chromedriver yourself for the browser tests" >&2; \
	  if [ -n "$$CI" ]; then exit 1; fi; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "make browser: run as root (or with sudo) to install $(CHROMIUM_PACKAGES)" >&2; \
	  if [ -n "$$CI" ]; then exit 1; fi; exit 0; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(CHROMIUM_PACKAGES)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "TAC Bot needs Python 3.11 or newer (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lock:  ## refresh constraints.txt: the newest versions pyproject.toml allows, resolved in a clean environment
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[dev]'
	{ sed -n '1,2p' constraints.txt; .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^tacbot[ =@]'; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf .lock-venv build

clean:
	rm -rf $(VENV) build *.egg-info tacbot.db tacbot.db-wal tacbot.db-shm
