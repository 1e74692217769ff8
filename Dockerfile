FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
# LibreOffice (Writer, without a GUI) makes the PDF copies of generated documents; python3-uno
# lets the system Python run it as the PDF server (manage.py pdf_server, docker-compose.yml).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
# The dependencies only (as `make install`): the service runs from /app.
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt
COPY . .
# Static files need no secrets: collected with the development settings.
RUN DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py collectstatic --noinput
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
