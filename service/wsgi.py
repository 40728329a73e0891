"""The WSGI entry point: ``gunicorn service.wsgi:app`` serves Rapport as the environment says."""

from service.app import create_app

app = create_app()
