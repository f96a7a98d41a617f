from django.urls import path

from medtalent.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("pairings/", views.PairingListView.as_view(), name="list"),
    path("pairings/checks/", views.PairingChecksView.as_view(), name="checks"),
]
