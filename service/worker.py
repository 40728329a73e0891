"""The Celery entry point: ``celery -A service.worker worker`` (or ``beat``) runs Rapport's tasks.

``rapport worker`` and ``rapport beat`` do the same. The application is built from the
environment (``DATABASE_URL``, ``REDIS_URL``…), as for gunicorn. (Celery looks for an
attribute named ``app`` first, so the Flask application is called ``flask_app`` here.)
"""

from service.app import create_app

flask_app = create_app()
celery = flask_app.extensions["rapport.celery"]
