from django.urls import path

from agencies.network import views

urlpatterns = [
    path("", views.network, name="network"),
]
