"""Mounted at /liaison/inbound/ (aircop/urls.py): what peer installations call."""

from django.urls import path

from liaison import inbound

urlpatterns = [
    path("", inbound.receive_message, name="liaison-inbound"),
    path("health", inbound.health, name="liaison-inbound-health"),
]
