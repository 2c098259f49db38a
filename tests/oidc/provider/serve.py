"""Run the test provider: ``python -m tests.oidc.provider.serve PORT`` (from the repository root).

Creates its SQLite database, then serves on 127.0.0.1:PORT with threads until terminated.
"""

import os
import sys


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc.provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    WSGIServer.allow_reuse_address = True
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
