from django.urls import path

from medtalent.privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/privacy/", views.PrivacyView.as_view(), name="home"),
    path("me/privacy/withdraw/<slug:kind>/", views.WithdrawView.as_view(), name="withdraw"),
    path("me/privacy/my-data.json", views.DownloadJsonView.as_view(), name="download_json"),
    path("me/privacy/my-data.pdf", views.DownloadPdfView.as_view(), name="download_pdf"),
    path("me/privacy/deletion/", views.DeletionRequestView.as_view(), name="deletion"),
]
