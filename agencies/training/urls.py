from django.urls import path

from agencies.training import views

urlpatterns = [
    path("", views.training_list, name="training-list"),
    path("new/", views.training_create, name="training-create"),
    path("<int:pk>/", views.training_detail, name="training-detail"),
    path("<int:pk>/edit/", views.training_update, name="training-update"),
    path("<int:pk>/trainers/", views.trainer_add, name="training-trainer-add"),
    path(
        "<int:pk>/trainers/<int:trainer_pk>/remove/",
        views.trainer_remove,
        name="training-trainer-remove",
    ),
    path("<int:pk>/participants/", views.participant_add, name="training-participant-add"),
    path(
        "<int:pk>/participants/import/",
        views.participant_import,
        name="training-participant-import",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        views.participant_remove,
        name="training-participant-remove",
    ),
]
