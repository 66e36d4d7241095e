"""The Celery app. Tasks are queued with `task.delay_on_commit(...)` so they run after commit."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aircop.settings")

app = Celery("aircop", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
