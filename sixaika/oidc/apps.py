from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "sixaika.oidc"
    label = "sixaika_oidc"
    verbose_name = "6Aika: OpenID Connect"
