from django.urls import path

from agencies.airlines import views

urlpatterns = [
    path("", views.airline_list, name="airline-list"),
    path("new/", views.airline_create, name="airline-create"),
    path("<int:pk>/", views.airline_detail, name="airline-detail"),
    path("<int:pk>/contacts/", views.contact_add, name="airline-contact-add"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/remove/",
        views.contact_remove,
        name="airline-contact-remove",
    ),
    path("<int:pk>/documents/", views.document_add, name="airline-document-add"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document_download, name="airline-document"),
    path("<int:pk>/feedback/", views.feedback_page, name="airline-feedback"),
    path("<int:pk>/feedback.csv", views.feedback_csv, name="airline-feedback-csv"),
    path("<int:pk>/feedback/send/", views.feedback_send, name="airline-feedback-send"),
]
