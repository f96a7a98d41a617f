from django.urls import path

from medtalent.catalog import host_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.CatalogueView.as_view(), name="home"),
    path("programmes/<slug:code>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("hosts/<slug:code>/", host_views.HostDetailView.as_view(), name="host"),
]
