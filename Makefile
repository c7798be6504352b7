# The two commands: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOME_DIR ?= var
HOST ?= 127.0.0.1
PORT ?= 8080
DEB_PACKAGES := libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2 fonts-dejavu-core \
	poppler-utils tesseract-ocr tesseract-ocr-swe ghostscript chromium chromium-driver python3-uno

.PHONY: install system-packages venv run test lint typecheck bench bench-quick clean

install: system-packages venv

# Debian packages, installed only when one is missing (so repeated runs cost nothing).
system-packages:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

run: install
	$(VENV)/bin/samverkan --home $(HOME_DIR) serve --host $(HOST) --port $(PORT) --with-examples

test: install
	$(VENV)/bin/ruff check .
	$(PY) -m tests.typecheck
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check .

# mypy over archive/, docgen/, index/ and reader/ as samverkan.* ([tool.mypy] in pyproject.toml;
# tests/typecheck.py says why it is not a bare `mypy`).
typecheck: venv
	$(PY) -m tests.typecheck

bench: install
	$(PY) -m bench

bench-quick: install
	$(PY) -m bench --quick

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache .ruff_cache .mypy_cache build/typecheck
