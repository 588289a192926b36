from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/download/", views.DownloadView.as_view(), name="download"),
    path("folders/", views.FolderListView.as_view(), name="folders"),
]
