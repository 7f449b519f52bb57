"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from observer import create_app

app = create_app()
