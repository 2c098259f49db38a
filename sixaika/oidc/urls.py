from django.urls import path

from . import views

urlpatterns = [
    path("callback/", views.ProviderCallbackView.as_view(), name="oidc_callback"),
    path("<slug:provider>/", views.ProviderSignInView.as_view(), name="oidc_sign_in"),
]
