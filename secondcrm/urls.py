from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from secondcrm.access import views as access_views
from secondcrm.records.views.home import HomeView


@login_not_required
def healthz(request):
    """For load balancers and docker-compose: the process answers and the database is reachable."""
    from django.db import connection

    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", access_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("preferences/", access_views.PreferencesView.as_view(), name="preferences"),
    path("preferences/password/", access_views.PasswordChangeView.as_view(), name="password_change"),
    path("settings/", include("settings_admin.urls")),
    path("documents/", include("secondcrm.documents.urls")),
    path("imports/", include("secondcrm.imports.urls")),
    path("sales/", include("potentials.urls")),
    path("leads/", include("leads.urls")),  # Convert Lead; the generic lead pages come from records.urls
    path("", include("webforms.urls")),  # Settings > Web Forms and the public /w/<key>/ endpoint
    path("", include("secondcrm.records.urls")),
]
