from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

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
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
