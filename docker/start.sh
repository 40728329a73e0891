#!/bin/sh
# Bring the database schema up to date, then hand the process over to gunicorn.
set -eu
rapport db upgrade
exec gunicorn --config /app/gunicorn.conf.py service.wsgi:app
