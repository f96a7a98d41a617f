"""The bulk import by a unit, mounted at /unit/imports/ (config/urls.py)."""

from django.urls import path

from medtalent.applications import import_views as views

app_name = "imports"
urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("template.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("<int:pk>/", views.ImportJobView.as_view(), name="job"),
    path("<int:pk>/problems.xlsx", views.ImportErrorsView.as_view(), name="errors"),
]
