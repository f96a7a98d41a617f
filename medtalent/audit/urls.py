from django.urls import path

from medtalent.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.AuditEventListView.as_view(), name="events"),
    path("audit/export.xlsx", views.AuditExportView.as_view(), name="export"),
]
