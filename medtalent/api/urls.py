from django.urls import path

from medtalent.api import views

app_name = "tokens"  # "api" is the namespace of the API itself

urlpatterns = [
    path("me/tokens/", views.TokenListView.as_view(), name="list"),
    path("me/tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="revoke"),
]
