from django.urls import path

from agencies.operations import views

urlpatterns = [
    path("", views.operation_list, name="operation-list"),
    path("new/", views.operation_create, name="operation-create"),
    path("<int:pk>/", views.operation_detail, name="operation-detail"),
    path("cases/<int:case_pk>/", views.attach_case, name="operation-attach-case"),
]
