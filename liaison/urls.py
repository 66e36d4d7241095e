"""Liaison pages under /liaison/. `inbound/` belongs to the receiving endpoint (mounted apart)."""

from django.urls import path

from liaison import views

urlpatterns = [
    path("", views.inbox, name="liaison-inbox"),
    path("sent/", views.outbox, name="liaison-outbox"),
    path("channels/", views.channels, name="liaison-channels"),
    path("new/", views.compose, name="liaison-compose"),
    path("<int:pk>/", views.detail, name="liaison-detail"),
    path("<int:pk>/send/", views.send_draft, name="liaison-send"),
    path("<int:pk>/reply/", views.reply, name="liaison-reply"),
    path("<int:pk>/close/", views.close, name="liaison-close"),
]
