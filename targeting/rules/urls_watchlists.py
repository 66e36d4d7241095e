from django.urls import path

from targeting.rules import views_watchlists as views

urlpatterns = [
    path("watchlists/", views.watchlist_list, name="watchlist-list"),
    path("watchlists/new/", views.watchlist_create, name="watchlist-create"),
    path("watchlists/search/", views.name_search, name="watchlist-search"),
    path("watchlists/<int:pk>/", views.watchlist_detail, name="watchlist-detail"),
    path("watchlists/<int:pk>/settings/", views.watchlist_settings, name="watchlist-settings"),
    path("watchlists/<int:pk>/entries/new/", views.entry_create, name="watchlist-entry-create"),
    path("watchlists/<int:pk>/import/", views.watchlist_import, name="watchlist-import"),
    path("watchlists/entries/<int:pk>/edit/", views.entry_edit, name="watchlist-entry-edit"),
    path(
        "watchlists/entries/<int:pk>/deactivate/",
        views.entry_deactivate,
        name="watchlist-entry-deactivate",
    ),
    path(
        "watchlists/entries/<int:pk>/history/",
        views.entry_history,
        name="watchlist-entry-history",
    ),
]
