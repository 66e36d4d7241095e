from django.urls import path

from aircop.results import views

urlpatterns = [
    path("", views.results, name="results"),
    path("<slug:table>.<str:file_format>", views.download, name="results-download"),
]
