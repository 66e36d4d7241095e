from django.urls import path

from aircop.audit import views

urlpatterns = [path("", views.audit_list, name="audit-list")]
