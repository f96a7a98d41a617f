from django.urls import path

from medtalent.orgs import views

app_name = "orgs"
urlpatterns = [path("hosts/<slug:code>/", views.HostDetailView.as_view(), name="host")]
