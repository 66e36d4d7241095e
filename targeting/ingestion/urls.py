from django.urls import path

from targeting.ingestion import views

urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("upload/file/", views.upload_file, name="upload-file"),
    path("messages/", views.message_list, name="message-list"),
    path("messages/<int:pk>/", views.message_detail, name="message-detail"),
    path("messages/<int:pk>/row/", views.message_row, name="message-row"),
    path("messages/<int:pk>/columns/", views.manifest_columns, name="manifest-columns"),
    path("data-quality/", views.data_quality, name="data-quality"),
]
