from django.urls import path

from . import views

app_name = "settings_admin"
urlpatterns = [
    path("", views.SettingsIndexView.as_view(), name="index"),
    path("recycle-bin/", views.RecycleBinView.as_view(), name="recycle_bin"),
    path("login-history/", views.LoginHistoryView.as_view(), name="login_history"),
    path("numbering/", views.ModuleNumberingView.as_view(), name="numbering"),
]
