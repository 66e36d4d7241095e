from django.urls import path

from agencies.cases import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_create, name="case-create"),
    path("reviews/", views.review_list, name="case-reviews"),
    path("reviews/<int:review_pk>/approve/", views.approve_review, name="case-review-approve"),
    path(
        "reviews/<int:review_pk>/send-back/", views.send_back_review, name="case-review-send-back"
    ),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/entries/", views.add_entry, name="case-entry-add"),
    path("<int:pk>/subjects/", views.add_subject, name="case-subject-add"),
    path("<int:pk>/subjects/<int:subject_pk>/", views.update_subject, name="case-subject-update"),
    path("<int:pk>/seizures/", views.add_seizure, name="case-seizure-add"),
    path("<int:pk>/attachments/", views.add_attachment, name="case-attachment-add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="case-attachment"),
    path("<int:pk>/shares/", views.request_share, name="case-share"),
    path("<int:pk>/shares/<int:share_pk>/unshare/", views.unshare, name="case-unshare"),
    path("<int:pk>/state/", views.change_state, name="case-state"),
    path("<int:pk>/print/", views.case_print, name="case-print"),
    path("<int:pk>/export.json", views.case_export, name="case-export"),
]
