from django.urls import path

from medtalent.core import views

app_name = "core"
urlpatterns = [path("me/", views.MyWorkspaceView.as_view(), name="workspace")]
