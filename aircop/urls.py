from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from aircop.web import views as web_views
from targeting.triage import views as triage_views

admin.site.site_header = "AIRCOP Targeting — platform administration"

urlpatterns = [
    path("", triage_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("agencies.urls")),
    path("", include("targeting.manifests.urls")),
    path("", include("targeting.ingestion.urls")),
    path("", include("targeting.rules.urls_watchlists")),
    path("", include("targeting.rules.urls")),
    path("", include("targeting.triage.urls")),
    path("cases/", include("agencies.cases.urls")),
    path("airlines/", include("agencies.airlines.urls")),
    path("network/", include("agencies.network.urls")),
    path("operations/", include("agencies.operations.urls")),
    path("requests/", include("agencies.consultations.urls")),
    path("training/", include("agencies.training.urls")),
    path("audit/", include("aircop.audit.urls")),
    path("liaison/", include("liaison.urls")),
    path("results/", include("aircop.results.urls")),
    path("liaison/inbound/", include("liaison.urls_inbound")),
    path("api/v1/", include("aircop.api.urls")),
    path("admin/", admin.site.urls),
]
