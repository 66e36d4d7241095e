from django.urls import path

from agencies.cases import actions, reviews, views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_create, name="case-create"),
    path("reviews/", reviews.review_list, name="case-reviews"),
    path("reviews/<int:review_pk>/approve/", reviews.approve_review, name="case-review-approve"),
    path(
        "reviews/<int:review_pk>/send-back/",
        reviews.send_back_review,
        name="case-review-send-back",
    ),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/entries/", actions.add_entry, name="case-entry-add"),
    path("<int:pk>/subjects/", actions.add_subject, name="case-subject-add"),
    path("<int:pk>/subjects/<int:subject_pk>/", actions.update_subject, name="case-subject-update"),
    path("<int:pk>/seizures/", actions.add_seizure, name="case-seizure-add"),
    path("<int:pk>/attachments/", actions.add_attachment, name="case-attachment-add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="case-attachment"),
    path("<int:pk>/shares/", actions.request_share, name="case-share"),
    path("<int:pk>/shares/<int:share_pk>/unshare/", actions.unshare, name="case-unshare"),
    path("<int:pk>/state/", actions.change_state, name="case-state"),
    path("<int:pk>/print/", views.case_print, name="case-print"),
    path("<int:pk>/export.json", views.case_export, name="case-export"),
]
