from django.urls import path

from medtalent.applications import views

app_name = "applications"
urlpatterns = [
    path("applications/", views.MyApplicationsView.as_view(), name="mine"),
    path("applications/start/<slug:code>/", views.ApplicationStartView.as_view(), name="start"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="detail"),
    path("applications/<int:pk>/edit/", views.ApplicationEditView.as_view(), name="edit"),
    path("applications/<int:pk>/autosave/", views.ApplicationAutosaveView.as_view(), name="autosave"),
    path("applications/<int:pk>/submit/", views.ApplicationSubmitView.as_view(), name="submit"),
    path("applications/<int:pk>/withdraw/", views.ApplicationWithdrawView.as_view(), name="withdraw"),
    path("applications/<int:pk>/confirm-rule/", views.RuleConfirmView.as_view(), name="confirm_rule"),
    path("applications/<int:pk>/exception/", views.ApplicationExceptionView.as_view(), name="exception"),
    path("applications/<int:pk>/form.pdf", views.ApplicationPdfView.as_view(), name="pdf"),
    path("unit/applications/", views.UnitApplicationListView.as_view(), name="unit_list"),
    path("unit/applications/decide/", views.ApplicationDecideView.as_view(), name="decide"),
]
