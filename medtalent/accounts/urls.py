from django.urls import path

from medtalent.accounts import views

app_name = "accounts"

urlpatterns: list = [
    path("me/security/", views.SecurityView.as_view(), name="security"),
    path("me/security/two-factor/enrol/", views.TwoFactorEnrolView.as_view(), name="two_factor_enrol"),
    path(
        "me/security/two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path("me/security/two-factor/disable/", views.TwoFactorDisableView.as_view(), name="two_factor_disable"),
    path("accounts/two-factor/verify/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/session/keepalive/", views.keepalive, name="keepalive"),
]
