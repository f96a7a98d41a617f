from django.urls import path

from medtalent.people import views

app_name = "people"
urlpatterns = [
    path("me/profile/", views.ProfileView.as_view(), name="profile"),
    path("me/profile/autosave/", views.ProfileAutosaveView.as_view(), name="profile_autosave"),
    path("me/profile/certificate-row/", views.CertificateRowView.as_view(), name="certificate_row"),
    path("me/profile/title-row/", views.TitleRowView.as_view(), name="title_row"),
    path("me/profile/employers/", views.EmployerOptionsView.as_view(), name="employer_options"),
    path("me/profile/documents/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("me/profile/proposals/", views.ProposalDecideView.as_view(), name="proposals_decide"),
    path("me/consent/", views.ConsentView.as_view(), name="consent"),
    path("me/consent/sensitive/", views.SensitiveConsentView.as_view(), name="consent_sensitive"),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("unit/people/", views.UnitPeopleView.as_view(), name="unit_people"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("people/<int:pk>/reveal/<slug:field>/", views.RevealView.as_view(), name="reveal"),
    path("people/<int:pk>/incident/", views.IncidentConfirmView.as_view(), name="confirm_incident"),
    path("people/<int:pk>/verify/<slug:fact>/", views.FactVerifyView.as_view(), name="verify_fact"),
]
