"""Run the test provider: ``python -m tests.oidc.provider.serve PORT`` (from the repository root);
``... PORT --migrate-only`` makes its database and stops.

Creates its SQLite database, then serves on 127.0.0.1:PORT with threads until terminated; says
"Listening on ..." once the socket listens.
"""

import os
import sys


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc.provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    if sys.argv[2:] == ["--migrate-only"]:
        return
    ThreadedWSGIServer.allow_reuse_address = True
    server = ThreadedWSGIServer(("127.0.0.1", port), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    # The line the tests wait for: the socket is bound and listening from here on.
    print(f"Listening on http://127.0.0.1:{port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
