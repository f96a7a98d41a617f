from django.urls import path

from medtalent.alliance import views

app_name = "alliance"
urlpatterns = [
    path("alliance/", views.DirectoryView.as_view(), name="directory"),
    path("alliance/events/", views.EventCalendarView.as_view(), name="events"),
    path("alliance/events/<slug:code>/", views.EventDetailView.as_view(), name="event"),
    path("alliance/committees/<slug:code>/", views.CommitteeDetailView.as_view(), name="committee"),
]
