"""Settings > Company Details: URLs, included by settings_admin (their names live in its namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.CompanyListView.as_view(), name="company_list"),
    path("add/", views.CompanyFormView.as_view(mode="add"), name="company_add"),
    path("<int:pk>/edit/", views.CompanyFormView.as_view(mode="edit"), name="company_edit"),
    path("<int:pk>/default/", views.CompanyDefaultView.as_view(), name="company_default"),
    path("<int:pk>/delete/", views.CompanyDeleteView.as_view(), name="company_delete"),
    path("<int:pk>/logo/", views.CompanyLogoView.as_view(), name="company_logo"),
]
