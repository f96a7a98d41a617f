from django.urls import path

from medtalent.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.CatalogueView.as_view(), name="home"),
    path("programmes/<slug:code>/", views.ProgrammeDetailView.as_view(), name="programme"),
]
