from django.urls import include, path

from .views.pool import signup_view

app_name = "workflows"
urlpatterns = [
    path("signup/", signup_view, name="signup"),
    path("recognitions/", include("workflows.views.recognition")),
]
