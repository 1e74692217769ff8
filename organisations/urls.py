from django.contrib.auth.views import LogoutView
from django.urls import path

from organisations import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="language"),
    path("me/", views.profile, name="profile"),
    path("associations/<int:pk>/", views.association_details, name="association"),
]
