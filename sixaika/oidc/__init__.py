"""Sign-in with the cities' own accounts (OpenID Connect) and roles from the provider's groups.

A small app of its own (label ``sixaika_oidc``): provider configuration from the environment,
the mozilla-django-oidc backend and views made per provider, the role synchronisation, and the
expiry of roles of people who have not signed in for a long time. See docs/oidc.md.
"""
