from django.urls import path

from medtalent.stints import views

app_name = "stints"
urlpatterns = [
    path("pairings/<int:pairing_pk>/stints/", views.PairingStintsView.as_view(), name="pairing"),
    path("stints/<int:pk>/", views.StintDetailView.as_view(), name="detail"),
    path("stints/<int:pk>/schedule/", views.StintScheduleView.as_view(), name="schedule"),
    path("stints/<int:pk>/edit/", views.StintUpdateView.as_view(), name="update"),
    path("stints/<int:pk>/state/", views.StintTransitionView.as_view(), name="transition"),
    path("unit/stints/", views.RosterView.as_view(), name="roster"),
    path("alliance/stints/", views.InboundView.as_view(), name="inbound"),
]
