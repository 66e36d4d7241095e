from django.urls import path

from targeting.triage import views

urlpatterns = [
    path("travellers/<int:pk>/decide/", views.decide, name="traveller-decide"),
    path("hits/<int:pk>/", views.hit_detail, name="hit-detail"),
]
