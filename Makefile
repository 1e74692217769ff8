# The one entry point. `make run` and `make test` work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Where the product keeps its SQLite database, files and broker folders (config/settings/base.py).
VAR_DIR ?= $(CURDIR)/var
INSTALLED := $(VENV)/.installed-stamp

.PHONY: install messages makemessages run test lint format migrations-check bench gallery \
	diagram clean

# The dependencies of pyproject.toml (with the dev extras), not the project itself: it runs from
# this folder (manage.py, celery -A celery_app, pytest), never from an installed copy.
$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' \
		> $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	@touch $(INSTALLED)

install: $(INSTALLED) messages

# Compiles every catalogue (locale/ and each app's <app>/locale/) with Babel: no GNU gettext
# needed. The .mo files are build output, never committed.
messages: $(INSTALLED)
	@for po in $(wildcard locale/*/LC_MESSAGES/django.po */locale/*/LC_MESSAGES/django.po); do \
		$(BIN)/pybabel -q compile --input-file $$po --output-file $${po%.po}.mo || exit 1; \
	done

# Extracts new strings into each app's catalogue (config/'s into locale/). Needs GNU gettext
# (apt-get install gettext). Then translate the empty msgstr entries and run `make messages`.
makemessages: install
	$(BIN)/python manage.py makemessages --locale fi --locale sv --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' \
		--ignore 'docs/*' --ignore 'templates_docx/*' --ignore 'build/*'

# Migrates, loads the demo (once), then serves on 127.0.0.1:$(PORT) with a Celery worker and beat
# (config/run.py: Ctrl-C stops them all). Without DATABASE_URL: SQLite under $(VAR_DIR). Without
# REDIS_URL: Celery's filesystem broker under $(VAR_DIR). Links in messages and calendars point at
# SITE_URL. The PDF copies go through a LibreOffice kept running on PDF_SERVER (needs Debian's
# python3-uno; PDF_SERVER= runs none, and each copy starts LibreOffice).
run: export VAR_DIR := $(VAR_DIR)
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: export PDF_SERVER ?= 127.0.0.1:2003
run: install
	@mkdir -p $(VAR_DIR)/broker/queue $(VAR_DIR)/broker/processed
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo
	@echo "Serving on $(SITE_URL)/  (API: /api/v1/, docs: /api/docs/, admin: /admin/)"
	@$(BIN)/python -m config.run --port $(PORT)

# ruff, the migrations check, then the whole suite. Uses DATABASE_URL / REDIS_URL when set.
test: install lint migrations-check
	$(BIN)/pytest

# ruff, then the layering contracts of pyproject.toml ([tool.importlinter]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run -v1

bench: install
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/transitions.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/round.py

# Page images (PNG) of every document kind in Finnish and Swedish, drawn from the sample contexts
# into docs/gallery/ with its README.md: commit them with a template change, and the review shows
# the change as a picture. Needs LibreOffice and pdftoppm (poppler-utils).
gallery: install
	$(BIN)/python manage.py gallery

# The state graphs of every FSM model and the rooms (the top-level apps and who imports whom,
# read from the code: docs/rooms.py), as Graphviz sources (and PNGs when `dot` is installed).
diagram: install
	@mkdir -p docs/diagrams
	$(BIN)/python docs/rooms.py > docs/diagrams/rooms.dot
	@if command -v dot >/dev/null; then \
		dot -Tpng docs/diagrams/rooms.dot -o docs/diagrams/rooms.png; fi
	@for model in grants.Application agreements.AgreementVersion agreements.Agreement \
		agreements.Evaluation; do \
		name=$$(echo $${model#*.} | tr A-Z a-z); \
		$(BIN)/python manage.py graph_transitions $$model > docs/diagrams/$$name.dot; \
		if command -v dot >/dev/null; then \
			dot -Tpng docs/diagrams/$$name.dot -o docs/diagrams/$$name.png; fi; \
	done

clean:
	rm -rf $(VENV) var .pytest_cache
