"""Installing TAC Bot (`pip install .`) builds its metadata without setuptools warnings."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_BUILD = """
import sys, warnings
from setuptools import build_meta
out = sys.argv[1]  # build_meta rewrites sys.argv
warnings.simplefilter("always")
name = build_meta.prepare_metadata_for_build_wheel(out)
with open(out + "/" + name + "/METADATA", encoding="utf-8") as metadata:
    print(metadata.read())
"""


def test_the_licence_is_an_spdx_expression_and_metadata_builds_without_warnings(tmp_path: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert "setuptools>=77" in project["build-system"]["requires"]
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "License-Expression: MIT" in done.stdout
    assert "Warning" not in done.stderr and "deprecated" not in done.stderr, done.stderr
