from django.urls import path

from agencies import views

urlpatterns = [
    path("task-forces/", views.task_force_list, name="task-force-list"),
    path("task-forces/new/", views.task_force_create, name="task-force-create"),
    path("task-forces/<int:pk>/", views.task_force_detail, name="task-force-detail"),
    path("airports/", views.airport_list, name="airport-list"),
    path("people/", views.people_list, name="people-list"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="accept-invitation"),
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("profile/", views.profile, name="profile"),
]
