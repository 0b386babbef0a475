from django.urls import path

from .views import awards_view

app_name = "rewards"
urlpatterns = [
    path("awards/", awards_view, name="awards"),
]
