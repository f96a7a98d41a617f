from django.urls import path

from medtalent.workspace import views

app_name = "workspace"
urlpatterns = [path("me/", views.WorkspaceView.as_view(), name="home")]
