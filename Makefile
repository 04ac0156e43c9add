# motcua: `make run` serves the demo on SQLite; `make test` runs every check on SQLite and PostgreSQL.
PORT ?= 8000
export PORT

.PHONY: run run-prod test bench lint

run:
	scripts/run.sh

run-prod:
	scripts/run-prod.sh

test:
	scripts/test.sh

bench:
	scripts/venv.sh dev
	.venv/bin/python -m bench

lint:
	scripts/venv.sh dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy motcua bench tests conftest.py
	.venv/bin/lint-imports
