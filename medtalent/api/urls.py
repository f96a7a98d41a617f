from django.urls import path  # noqa: F401

app_name = "tokens"  # "api" is the namespace of the API itself

urlpatterns: list = []
