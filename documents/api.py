"""Endpoints of this app under /api/ (registered on project.api.router)."""

from project.api import router  # noqa: F401
