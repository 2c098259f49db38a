"""What every app's demo data shares (``make run`` only; never created by migrations)."""

DEMO_PASSWORD = "demo-6aika"  # noqa: S105 - documented demo password, local accounts only
