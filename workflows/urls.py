from django.urls import path

from .views.pool import signup_view

app_name = "workflows"
urlpatterns = [
    path("signup/", signup_view, name="signup"),
]
