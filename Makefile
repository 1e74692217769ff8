# The one entry point. `make run` and `make test` work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
INSTALLED := $(VENV)/.installed-stamp

.PHONY: install messages makemessages run test lint format migrations-check bench diagram clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

# Migrates, loads the demo (once), then serves on 127.0.0.1:$(PORT) with a Celery worker and beat.
# Without DATABASE_URL: SQLite under var/. Without REDIS_URL: Celery's filesystem broker under var/.
run: install
	@mkdir -p var/broker/queue var/broker/processed
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (API: /api/v1/, docs: /api/docs/, admin: /admin/)"
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A celery_app worker --beat --loglevel=INFO --concurrency=1 -Q celery,pdf \
		--schedule=var/celerybeat-schedule & \
	$(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

# ruff, the migrations check, then the whole suite. Uses DATABASE_URL / REDIS_URL when set.
test: install lint migrations-check
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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

# The state graphs of every FSM model, as Graphviz sources (and PNGs when `dot` is installed).
diagram: install
	@mkdir -p docs/diagrams
	@for model in grants.Application agreements.AgreementVersion agreements.Agreement \
		agreements.Evaluation; do \
		name=$$(echo $${model#*.} | tr A-Z a-z); \
		$(BIN)/python manage.py graph_transitions $$model > docs/diagrams/$$name.dot; \
		if command -v dot >/dev/null; then \
			dot -Tpng docs/diagrams/$$name.dot -o docs/diagrams/$$name.png; fi; \
	done

clean:
	rm -rf $(VENV) var .pytest_cache
