from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agencies.cases.api import views as case_views
from agencies.consultations.api import views as consultation_views
from aircop.api import views
from targeting.ingestion.api import views as ingest_views
from targeting.manifests.api import views as manifest_views
from targeting.rules.api import views as rule_views
from targeting.triage.api import views as triage_views

router = DefaultRouter()
router.register("me/tokens", views.PersonalTokenViewSet, basename="api-personal-token")
router.register("task-forces", views.TaskForceViewSet, basename="api-task-force")
router.register("agencies", views.AgencyViewSet, basename="api-agency")
router.register("airports", views.AirportViewSet, basename="api-airport")
router.register("people", views.PersonViewSet, basename="api-person")
router.register("providers", views.DataProviderViewSet, basename="api-data-provider")
router.register("audit-events", views.AuditEventViewSet, basename="api-audit-event")
router.register("flights", manifest_views.FlightViewSet, basename="api-flight")
router.register("travellers", manifest_views.TravellerViewSet, basename="api-traveller")
router.register("hits", rule_views.HitViewSet, basename="api-hit")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("provider/", views.ProviderSelfView.as_view(), name="api-provider-self"),
    path("messages/", ingest_views.MessageListView.as_view(), name="api-message-list"),
    path("messages/<int:pk>/", ingest_views.MessageDetailView.as_view(), name="api-message-detail"),
    path("queue/", triage_views.QueueView.as_view(), name="api-queue"),
    # Before the router, whose travellers/<pk>/ would not know these.
    path(
        "travellers/<int:pk>/decisions/",
        triage_views.TravellerDecisionsView.as_view(),
        name="api-traveller-decisions",
    ),
    path(
        "travellers/<int:pk>/links/",
        triage_views.TravellerLinksView.as_view(),
        name="api-traveller-links",
    ),
    path("requests/", consultation_views.RequestListView.as_view(), name="api-request-list"),
    path(
        "requests/<int:pk>/",
        consultation_views.RequestDetailView.as_view(),
        name="api-request-detail",
    ),
    path(
        "requests/<int:pk>/answer/",
        consultation_views.RequestAnswerView.as_view(),
        name="api-request-answer",
    ),
    path("cases/", case_views.CaseListView.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", case_views.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/state/", case_views.CaseStateView.as_view(), name="api-case-state"),
    path("cases/<int:pk>/export/", case_views.CaseExportView.as_view(), name="api-case-export"),
    path("cases/<int:pk>/entries/", case_views.CaseEntriesView.as_view(), name="api-case-entries"),
    path("cases/<int:pk>/seizures/", case_views.SeizuresView.as_view(), name="api-case-seizures"),
    path("cases/<int:pk>/subjects/", case_views.SubjectsView.as_view(), name="api-case-subjects"),
    path(
        "cases/<int:pk>/subjects/<int:subject_id>/",
        case_views.SubjectDetailView.as_view(),
        name="api-case-subject",
    ),
    path(
        "cases/<int:pk>/attachments/",
        case_views.AttachmentsView.as_view(),
        name="api-case-attachments",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/content/",
        case_views.AttachmentContentView.as_view(),
        name="api-case-attachment-content",
    ),
    path("cases/<int:pk>/shares/", case_views.CaseSharesView.as_view(), name="api-case-shares"),
    path(
        "cases/<int:pk>/shares/<int:share_id>/",
        case_views.CaseShareDetailView.as_view(),
        name="api-case-share",
    ),
    path("case-reviews/", case_views.ReviewListView.as_view(), name="api-case-reviews"),
    path(
        "case-reviews/<int:pk>/approve/",
        case_views.ReviewApproveView.as_view(),
        name="api-case-review-approve",
    ),
    path(
        "case-reviews/<int:pk>/send-back/",
        case_views.ReviewSendBackView.as_view(),
        name="api-case-review-send-back",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
