from django.urls import path

from targeting.manifests import views

urlpatterns = [
    path("flights/", views.flight_list, name="flight-list"),
    path("flights/<int:pk>/", views.flight_detail, name="flight-detail"),
    path("travellers/<int:pk>/", views.traveller_detail, name="traveller-detail"),
]
