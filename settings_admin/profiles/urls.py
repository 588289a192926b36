"""Settings > Profiles: URLs (names live in the "settings_admin" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ProfileListView.as_view(), name="profiles"),
    path("new/", views.ProfileAddView.as_view(), name="profile_add"),
    path("<int:pk>/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("<int:pk>/delete/", views.ProfileDeleteView.as_view(), name="profile_delete"),
]
