from django.urls import path

from medtalent.registration import views

app_name = "registration"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/units/", views.UnitOptionsView.as_view(), name="unit_options"),
    path("join/", views.StartView.as_view(), name="start"),
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="accept"),
    path("me/claim/", views.ClaimView.as_view(), name="claim"),
    path("me/claim/<int:pk>/withdraw/", views.RequestWithdrawView.as_view(), name="withdraw"),
    path("unit/accounts/", views.UnitAccountsView.as_view(), name="unit_accounts"),
    path("unit/accounts/requests/<int:pk>/decide/", views.RequestDecideView.as_view(), name="decide"),
    path("unit/accounts/people/<int:pk>/invite/", views.InviteView.as_view(), name="invite"),
    path("unit/accounts/invitations/<int:pk>/resend/", views.InvitationResendView.as_view(), name="resend"),
    path("unit/accounts/invitations/<int:pk>/revoke/", views.InvitationRevokeView.as_view(), name="revoke"),
    path("unit/accounts/users/<int:pk>/unlock/", views.UnlockView.as_view(), name="unlock"),
]
