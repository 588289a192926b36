"""Web-to-lead URLs: the admin pages under Settings and the public endpoint web sites post to."""

from django.urls import path

from . import views

app_name = "webforms"
urlpatterns = [
    path("settings/web-forms/", views.WebFormListView.as_view(), name="list"),
    path("settings/web-forms/add/", views.WebFormAddView.as_view(), name="add"),
    path("settings/web-forms/<int:pk>/edit/", views.WebFormEditView.as_view(), name="edit"),
    path("settings/web-forms/<int:pk>/html/", views.WebFormHtmlView.as_view(), name="html"),
    path("settings/web-forms/<int:pk>/delete/", views.WebFormDeleteView.as_view(), name="delete"),
    path("w/<uuid:key>/", views.submit, name="submit"),
    path("w/<uuid:key>/thanks/", views.thanks, name="thanks"),
]
