"""``make audit`` (scripts/audit.py): the pinned packages that have a newer patch release in the
package index, read from a package index on disk that the test writes; and what it says when
pip-audit's vulnerability service cannot be reached."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HASH = "--hash=sha256:" + "0" * 64


def _index(tmp_path: Path, releases: dict[str, list[str]]) -> str:
    simple = tmp_path / "simple"
    for name, versions in releases.items():
        folder = simple / name
        folder.mkdir(parents=True)
        dist = name.replace("-", "_")
        links = "".join(f'<a href="{dist}-{v}.tar.gz">{dist}-{v}.tar.gz</a>\n' for v in versions)
        (folder / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    return simple.as_uri()


def _lock(tmp_path: Path, pins: dict[str, str]) -> Path:
    lock = tmp_path / "requirements.lock"
    lock.write_text("".join(f"{n}=={v} \\\n    {HASH}\n    # via -r x\n" for n, v in pins.items()))
    return lock


def _audit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "scripts/audit.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )


@pytest.fixture
def index(tmp_path):
    return _index(
        tmp_path,
        {
            "sixaika-audit-behind": ["1.2.3", "1.2.5", "1.2.6rc1", "1.3.0"],
            "sixaika-audit-current": ["2.0.0", "2.1.0"],
        },
    )


def test_pins_with_a_newer_patch_release_are_listed(tmp_path, index):
    lock = _lock(tmp_path, {"sixaika-audit-behind": "1.2.3", "sixaika-audit-current": "2.0.0"})
    result = _audit(str(lock), "--index-url", index, "--skip-pip-audit")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "sixaika-audit-behind 1.2.3 -> 1.2.5" in result.stdout  # not the rc, not 1.3
    assert "sixaika-audit-current 2.0.0 ->" not in result.stdout  # 2.1.0 is a minor release
    assert "attention needed" in result.stdout


def test_nothing_to_do_when_every_pin_is_its_newest_patch(tmp_path, index):
    lock = _lock(tmp_path, {"sixaika-audit-behind": "1.2.5", "sixaika-audit-gone": "0.1.0"})
    result = _audit(str(lock), "--index-url", index, "--skip-pip-audit")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not found in the index (not checked): sixaika-audit-gone" in result.stdout
    assert "nothing to do" in result.stdout


def test_an_unreachable_vulnerability_service_is_said_and_the_audit_goes_on(tmp_path, index):
    lock = _lock(tmp_path, {"sixaika-audit-behind": "1.2.5"})
    closed = "http://127.0.0.1:1"  # the service behind a proxy that is not there
    # pip (inside pip-audit) would retry the closed proxy five times with back-off (45 s of
    # waiting): once is enough to know it is not there.
    env = {
        **os.environ,
        "HTTPS_PROXY": closed,
        "HTTP_PROXY": closed,
        "NO_PROXY": "",
        "PIP_RETRIES": "0",
    }
    result = _audit(str(lock), "--index-url", index, env=env)
    assert f"== pip-audit {lock}: unreachable" in result.stdout, result.stdout + result.stderr
    assert "newer patch releases of the 1 pinned packages" in result.stdout
