from django.urls import path

from medtalent.annual import views

app_name = "annual"
YEAR = "pairings/<int:pairing_pk>/years/<int:year>/"
urlpatterns = [
    path("pairings/years/", views.OverviewView.as_view(), name="overview"),
    path(YEAR, views.PairingYearView.as_view(), name="year"),
    path(f"{YEAR}targets/", views.TargetAddView.as_view(), name="target_add"),
    path(f"{YEAR}targets/from-focus/", views.TargetsFromFocusView.as_view(), name="targets_from_focus"),
    path(f"{YEAR}targets/<int:pk>/", views.TargetEditView.as_view(), name="target_edit"),
    path(f"{YEAR}targets/<int:pk>/status/", views.TargetStatusView.as_view(), name="target_status"),
    path(f"{YEAR}targets/<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
    path(f"{YEAR}targets/<int:pk>/evidence/", views.TargetEvidenceView.as_view(), name="target_evidence"),
    path(f"{YEAR}reviews/<str:kind>/", views.ReviewView.as_view(), name="review"),
    path(f"{YEAR}reviews/<str:kind>/return/", views.ReviewReturnView.as_view(), name="review_return"),
]
