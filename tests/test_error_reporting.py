"""With SENTRY_DSN set, errors go to Sentry: a production process reports an error logged by
the portal to a Sentry-compatible endpoint on loopback (a plain HTTP server of this test, which
keeps what it receives), with the environment named and no personal data."""

import gzip
import http.server
import subprocess
import sys
import threading
from pathlib import Path

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = (
    "import django, logging, sentry_sdk\n"
    "django.setup()\n"
    "try:\n"
    "    raise RuntimeError('report generation exploded')\n"
    "except RuntimeError:\n"
    "    logging.getLogger('reports').exception('Report 7 failed')\n"
    "sentry_sdk.flush(10)\n"
)


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - the standard library's name
        body = self.rfile.read(int(self.headers["Content-Length"] or 0))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_an_error_is_reported_to_sentry_when_a_dsn_is_set():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/42"
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            env=production_env(SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="smoke"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    sent = b"\n".join(_Receiver.received).decode()
    assert "report generation exploded" in sent and "Report 7 failed" in sent
    assert '"environment":"smoke"' in sent.replace(" ", "")
