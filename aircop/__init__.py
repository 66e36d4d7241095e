"""AIRCOP Targeting: the Django project package (settings, urls, Celery app, cross-cutting apps)."""

from aircop.celery import app as celery_app

__all__ = ["celery_app"]
