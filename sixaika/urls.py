from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import accounts_views, views
from .oidc import views as oidc_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("governance/", include("governance.urls")),
    path("", include("governance.meeting_urls")),
    path("projects/", include("projects.urls")),
    path("calls/", include("calls.urls")),
    path("api/v1/", include("projects.api.urls")),  # open data, docs/api.md
    path("", include("coordination.urls")),
    path("reports/", include("reports.urls")),  # monitoring reports
    # the login page with a button per identity provider (sixaika.oidc; docs/oidc.md)
    path("accounts/login/", oidc_views.LoginView.as_view(), name="login"),
    path("accounts/oidc/", include("sixaika.oidc.urls")),
    path("accounts/two-factor/", accounts_views.two_factor_setup, name="two_factor"),
    path(
        "accounts/two-factor/backup-codes/",
        accounts_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("accounts/two-factor/codes/", accounts_views.two_factor_codes, name="two_factor_codes"),
    path(
        "accounts/two-factor/enrol/<str:token>/",
        accounts_views.two_factor_enrol,
        name="two_factor_enrol",
    ),
    path(
        "accounts/password-reset/",
        accounts_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        accounts_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
# No URL serves MEDIA_ROOT, in any mode (the embedded default included): every uploaded file
# and report is sent by its download view after the same permission check as its page.

handler500 = "sixaika.views.server_error"
