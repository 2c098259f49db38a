"""Healthcheck commands for the image and docker-compose (no curl in a slim image).

    python scripts/probe.py http://127.0.0.1:8000/readyz/   # exit 0 when the answer is 200
    python scripts/probe.py --fresh 900 /app/var/beat/celerybeat-schedule
        # exit 0 when beat has written its schedule within 900 seconds (beat writes it as it
        # runs its entries, every 5 minutes at least: coordination.reports_requeue)

Standard library only: it starts in milliseconds and imports nothing of the portal.
"""

import glob
import os
import sys
import time
import urllib.error
import urllib.request


def url_ok(url: str, timeout: float = 5) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def fresh(path: str, seconds: float) -> bool:
    # The schedule is a dbm file: depending on the dbm module it has a suffix (.db, .dat).
    found = [os.path.getmtime(p) for p in glob.glob(glob.escape(path) + "*")]
    return bool(found) and time.time() - max(found) < seconds


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--fresh":
        return 0 if fresh(argv[2], float(argv[1])) else 1
    if len(argv) == 1:
        return 0 if url_ok(argv[0]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
