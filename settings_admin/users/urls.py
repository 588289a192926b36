"""Settings > Users and Settings > Groups: URLs (in the "settings_admin" namespace, under settings/users/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.UserListView.as_view(), name="users"),
    path("add/", views.UserCreateView.as_view(), name="user_add"),
    path("<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    path("<int:pk>/deactivate/", views.UserStatusView.as_view(activate=False), name="user_deactivate"),
    path("<int:pk>/reactivate/", views.UserStatusView.as_view(activate=True), name="user_reactivate"),
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/add/", views.GroupCreateView.as_view(), name="group_add"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group_edit"),
    path("groups/<int:pk>/delete/", views.GroupDeleteView.as_view(), name="group_delete"),
]
