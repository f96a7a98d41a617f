from django.urls import path

from medtalent.eligibility import preview

app_name = "eligibility"
urlpatterns = [
    # Linked from the category's page in the catalogue admin.
    path("eligibility/preview/categories/<int:pk>/", preview.category_preview, name="category_preview"),
]
