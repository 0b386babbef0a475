"""Public verification pages (no login): /verify/<token> is the QR code's short link."""

from django.urls import path

from .views import verify_token_view, verify_view

urlpatterns = [
    path("", verify_view, name="document-verify-upload"),
    path("<str:token>", verify_token_view, name="document-verify"),
    path("<str:token>/", verify_token_view),  # the same page, for links typed with a slash
]
