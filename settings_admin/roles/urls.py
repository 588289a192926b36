"""Settings > Roles: URLs (names live in the "settings_admin" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.RoleTreeView.as_view(), name="roles"),
    path("move/", views.RoleDropView.as_view(), name="role_drop"),
    path("<int:pk>/add/", views.RoleAddView.as_view(), name="role_add"),
    path("<int:pk>/edit/", views.RoleEditView.as_view(), name="role_edit"),
    path("<int:pk>/move/", views.RoleMoveView.as_view(), name="role_move"),
    path("<int:pk>/delete/", views.RoleDeleteView.as_view(), name="role_delete"),
]
