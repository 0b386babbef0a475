from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .api import router
from .site import site
from .views import home

# Each app's api module registers its endpoints on the shared router.
import approvals.api  # noqa: F401,E402
import documents.api  # noqa: F401,E402
import enterprises.api  # noqa: F401,E402
import workflows.api  # noqa: F401,E402

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/notifications/", include("notifications.api")),
    path("api/", include(router.urls)),
    path("registry/", include("enterprises.urls")),
    path("approvals/", include("approvals.urls")),
    path("documents/", include("documents.urls")),
    path("rewards/", include("rewards.urls")),
    path("cases/", include("workflows.urls")),
    path("verify/", include("documents.verify_urls")),
    path("", home, name="home"),
    path("", site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
