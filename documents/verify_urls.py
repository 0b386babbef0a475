"""Public verification pages (no login): /verify/<token>."""

urlpatterns: list = []
