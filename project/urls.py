from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import APIRootView

import approvals.api
import documents.api
import enterprises.api
import rewards.api
import workflows.api

from .site import site
from .views import home

# Each app exposes its own API URLs (its router's ``urlpatterns``), included here under api/.
APP_APIS = [approvals.api, documents.api, enterprises.api, workflows.api, rewards.api]
# /api/ lists every app's collections, as DRF's DefaultRouter root did (nested routes are skipped).
API_ROOT = {
    **{prefix: f"{basename}-list" for api in APP_APIS for prefix, _viewset, basename in api.router.registry},
    "notifications": "notifications-api:notification-list",
}

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", APIRootView.as_view(api_root_dict=API_ROOT), name="api-root"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/notifications/", include("notifications.api")),
    path("api/white-list/", include("dashboard.api")),
    *(path("api/", include(api.__name__)) for api in APP_APIS),
    path("registry/", include("enterprises.urls")),
    path("approvals/", include("approvals.urls")),
    path("documents/", include("documents.urls")),
    path("rewards/", include("rewards.urls")),
    path("cases/", include("workflows.urls")),
    path("verify/", include("documents.verify_urls")),
    path("", home, name="home"),
    path("", site.urls),
]
# An API path that matches no route answers {"code", "message"} like every other API error.
handler404 = "project.api.not_found"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
