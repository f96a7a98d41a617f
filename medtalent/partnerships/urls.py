from django.urls import path

from medtalent.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("pairings/", views.PairingListView.as_view(), name="list"),
    path("pairings/checks/", views.PairingChecksView.as_view(), name="checks"),
    path("pairings/network/", views.PairingNetworkView.as_view(), name="network"),
    path("agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("pairings/<int:pairing_pk>/agreement/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementView.as_view(), name="agreement"),
    path("agreements/<int:pk>/term/", views.AgreementTermView.as_view(), name="agreement_term"),
    path("agreements/<int:pk>/pdf/", views.AgreementPdfView.as_view(), name="agreement_pdf"),
    path("agreements/<int:pk>/clauses/", views.AgreementAddClauseView.as_view(), name="agreement_add_clause"),
    path(
        "agreements/<int:pk>/clauses/<int:clause_pk>/remove/",
        views.AgreementRemoveClauseView.as_view(),
        name="agreement_remove_clause",
    ),
    path("agreements/<int:pk>/approve/", views.AgreementApproveView.as_view(), name="agreement_approve"),
    path("agreements/<int:pk>/reopen/", views.AgreementReopenView.as_view(), name="agreement_reopen"),
    path("agreements/<int:pk>/new-version/", views.AgreementNewVersionView.as_view(), name="agreement_new_version"),
]
