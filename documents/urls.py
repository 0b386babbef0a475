"""/documents/: stable links other apps' pages use (a case page's document list)."""

from django.urls import path

from .views import document_download_view

app_name = "documents"
urlpatterns = [
    path("<int:pk>/download/", document_download_view, name="download"),
]
