from django.urls import include, path

from . import views

app_name = "settings_admin"
# Each area of User Management keeps its views, forms and URLs in its own package; their URL names live in
# this namespace ("settings_admin:users", "settings_admin:role_add", ...).
urlpatterns = [
    path("", views.SettingsIndexView.as_view(), name="index"),
    path("recycle-bin/", views.RecycleBinView.as_view(), name="recycle_bin"),
    path("login-history/", views.LoginHistoryView.as_view(), name="login_history"),
    path("numbering/", views.ModuleNumberingView.as_view(), name="numbering"),
    path("users/", include("settings_admin.users.urls")),
    path("roles/", include("settings_admin.roles.urls")),
    path("profiles/", include("settings_admin.profiles.urls")),
    path("sharing/", include("settings_admin.sharing.urls")),
    path("audit/", include("settings_admin.audit.urls")),
    path("lead-mapping/", include("settings_admin.lead_mapping.urls")),
    path("picklists/", include("settings_admin.picklists.urls")),
    path("layout/", include("settings_admin.layout.urls")),
    path("company/", include("secondcrm.company.urls")),
]
