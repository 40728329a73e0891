# Rapport's everyday commands. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PEOPLE ?= 2000
FUZZ_EXAMPLES ?= 300
FUZZ_SCENARIOS ?= 300
FUZZ_SEED ?= 20261126
# Where `make run` keeps its admin token, so that one saved in Swagger UI keeps working.
TOKEN_FILE ?= instance/make-run.token
INSTALLED := $(VENV)/.installed

export PORT

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@# The hospital/residents oracle of tests/matching/test_cohort.py is also called `matching`:
	@# it lives apart, in .venv/oracles, so that it never shadows Rapport's own package.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --target $(VENV)/oracles 'matching==1.4.3'
	@touch $@

install: $(INSTALLED) ## Create .venv and install Rapport with its test tools

run: $(INSTALLED) ## Serve Rapport with demo data on http://127.0.0.1:$PORT (DATABASE_URL overrides SQLite; ROTATE=1 replaces the admin token)
	$(BIN)/rapport db upgrade
	$(BIN)/rapport demo load --if-empty --people $(DEMO_PEOPLE)
	@token=$$($(BIN)/rapport tokens create --role admin --name "make run" --keep $(TOKEN_FILE) \
	    $(if $(ROTATE),--rotate) 2>/dev/null | tail -n 1) && \
	  echo && echo "  Admin token:  $$token  (kept in $(TOKEN_FILE) across restarts; make run ROTATE=1 replaces it)" && \
	  echo "  API docs:     http://127.0.0.1:$(PORT)/docs  (Authorize with the token above)" && \
	  echo "  Try:          curl -H 'Authorization: Bearer $$token' http://127.0.0.1:$(PORT)/v1/people" && echo
	RAPPORT_LOG_FORMAT=$${RAPPORT_LOG_FORMAT:-text} exec $(BIN)/gunicorn --config gunicorn.conf.py service.wsgi:app

test: $(INSTALLED) ## Run the tests (SQLite; set DATABASE_URL=postgresql+psycopg://… for PostgreSQL)
	$(BIN)/pytest

lint: $(INSTALLED) ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED) ## Fix style with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(INSTALLED) ## Export the OpenAPI spec to openapi/openapi.json
	$(BIN)/rapport openapi write openapi/openapi.json

fuzz: $(INSTALLED) ## Fuzz the API at length with schemathesis (FUZZ_EXAMPLES, FUZZ_SCENARIOS, FUZZ_SEED)
	RAPPORT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) RAPPORT_FUZZ_SCENARIOS=$(FUZZ_SCENARIOS) \
	  RAPPORT_FUZZ_SEED=$(FUZZ_SEED) $(BIN)/pytest tests/integration/test_fuzz.py

bench: $(INSTALLED) ## Run the benchmarks (figures go to benchmarks/RESULTS.md by hand)
	$(BIN)/python benchmarks/matching_quality.py
	$(BIN)/python benchmarks/matching_speed.py --people 100000
	$(BIN)/python benchmarks/import_speed.py --people 100000

clean: ## Remove the virtual environment and caches (keeps the database)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

.PHONY: help install run test lint format openapi fuzz bench clean
