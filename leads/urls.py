"""Lead pages beyond the platform's: Convert Lead. Mounted at /leads/ before the platform's module URLs,
with which it shares no pattern (theirs are /leads/<pk>/, /leads/<pk>/edit/ ...)."""

from django.urls import path

from . import views

app_name = "leads"
urlpatterns = [
    path("<int:pk>/convert/", views.ConvertLeadView.as_view(), name="convert"),
]
