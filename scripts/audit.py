"""``make audit``: what a release should know about the locked packages.

1. Known vulnerabilities: ``pip-audit`` over each lock file (hashes required, nothing installed).
   Its vulnerability service (PyPI's advisory database, or OSV) is on the internet; where it
   cannot be reached the audit says so and goes on.
2. Newer patch releases: for every package pinned ``name==X.Y.Z``, whether the package index
   pip is configured with (or ``--index-url``) has a release X.Y.Z' > X.Y.Z in the same X.Y
   series: security fixes arrive as patch releases, so each is worth a look.

The exit status is 1 when pip-audit found a vulnerability or a patch release is waiting, 0 when
neither; it is never run by CI (a new advisory must not block an unrelated change).

    python scripts/audit.py requirements.lock requirements-dev.lock [--index-url URL]
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: Path) -> dict[str, str]:
    return {name.lower(): version for name, version in PIN.findall(lock.read_text("utf-8"))}


def available_versions(name: str, index_url: str | None) -> list[Version] | None:
    """The versions the index offers, or None when it could not be asked."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "index",
        "versions",
        name,
        "--disable-pip-version-check",
    ]
    if index_url:
        command += ["--index-url", index_url]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603
    found = re.search(r"^Available versions: (.+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not found:
        return None
    versions = []
    for text in found.group(1).split(","):
        try:
            versions.append(Version(text.strip()))
        except InvalidVersion:
            continue
    return versions


def newer_patch(pinned: str, versions: list[Version]) -> Version | None:
    """The newest final release in the pinned version's series that is newer than it."""
    try:
        current = Version(pinned)
    except InvalidVersion:
        return None
    series = [
        v
        for v in versions
        if not v.is_prerelease and v.release[:2] == current.release[:2] and v > current
    ]
    return max(series, default=None)


def pip_audit(lock: Path) -> tuple[str, str]:
    """("clean" | "vulnerable" | "unreachable" | "missing", what pip-audit said)."""
    tool = shutil.which("pip-audit") or str(Path(sys.executable).with_name("pip-audit"))
    if not Path(tool).exists():
        return "missing", "pip-audit is not installed (it is in requirements-dev.txt)"
    command = [
        tool,
        "--requirement",
        str(lock),
        "--require-hashes",
        "--no-deps",
        # The lock pins every package with its hashes: nothing to resolve, so no virtual
        # environment of pip-audit's own is made and filled (most of its time).
        "--disable-pip",
        "--progress-spinner",
        "off",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)  # noqa: S603
    said = (result.stdout + result.stderr).strip()
    if result.returncode == 0:
        return "clean", said
    if re.search(r"Found \d+ known vulnerabilit", said):
        return "vulnerable", said
    return "unreachable", said


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("locks", nargs="+", type=Path)
    parser.add_argument("--index-url", default=None)
    parser.add_argument("--skip-pip-audit", action="store_true")
    args = parser.parse_args(argv)
    attention = False
    if not args.skip_pip_audit:
        for lock in args.locks:
            state, said = pip_audit(lock)
            print(f"== pip-audit {lock}: {state}")
            if state != "clean":
                print("   " + "\n   ".join(said.splitlines()[-8:]))
            attention |= state == "vulnerable"
    every: dict[str, str] = {}
    for lock in args.locks:
        every.update(pins(lock))
    print(f"== newer patch releases of the {len(every)} pinned packages")
    unknown = []
    for name, pinned in sorted(every.items()):
        versions = available_versions(name, args.index_url)
        if versions is None:
            unknown.append(name)
            continue
        newer = newer_patch(pinned, versions)
        if newer is not None:
            attention = True
            print(f"   {name} {pinned} -> {newer}")
    if unknown:
        print(f"   not found in the index (not checked): {', '.join(unknown)}")
    print("== attention needed" if attention else "== nothing to do")
    return 1 if attention else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
