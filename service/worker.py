"""The Celery entry point: ``celery -A service.worker worker`` (or ``beat``) runs Rapport's tasks.

``rapport worker`` and ``rapport beat`` do the same. The application is built from the
environment (``DATABASE_URL``, ``REDIS_URL``…), as for gunicorn.
"""

from service.app import create_app

app = create_app()
celery = app.extensions["rapport.celery"]
