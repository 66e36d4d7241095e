from django.urls import path

from agencies.consultations import views

urlpatterns = [
    path("", views.request_list, name="consultation-list"),
    path("new/", views.request_create, name="consultation-create"),
    path("<int:pk>/", views.request_detail, name="consultation-detail"),
    path("<int:pk>/answer/", views.request_answer, name="consultation-answer"),
    path("<int:pk>/close/", views.request_close, name="consultation-close"),
]
