"""CI check: the wheel carries every data file the app loads at run time (pip install ., not only -e)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage", "scheduler")
DATA = {".yaml", ".yml", ".json", ".mako", ".png", ".ttf", ".html", ".css", ".txt"}


def main() -> int:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                out,
                str(ROOT),
            ],
            check=True,
        )
        wheel = next(Path(out).glob("tacbot-*.whl"))
        names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        str(p.relative_to(ROOT))
        for package in PACKAGES
        for p in (ROOT / package).rglob("*")
        if p.is_file() and (p.suffix in DATA or p.match("migrations/versions/*.py"))
    }
    missing = sorted(wanted - names)
    if missing:
        print("The wheel lacks files the app needs at run time:", *missing, sep="\n  ")
        return 1
    print(f"wheel ok: {len(wanted)} data and migration files packaged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
