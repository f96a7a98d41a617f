from django.urls import path

from medtalent.notifications import views

app_name = "notifications"
urlpatterns = [
    path("me/notices/", views.NoticeListView.as_view(), name="list"),
    path("me/notices/read-all/", views.NoticeReadAllView.as_view(), name="read_all"),
    path("me/notices/settings/", views.NoticeSettingsView.as_view(), name="settings"),
    path("me/notices/<int:pk>/", views.NoticeOpenView.as_view(), name="open"),
]
