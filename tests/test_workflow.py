"""The GitHub Actions workflow that publishes the book is valid and runs what README says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def check_jsonschema() -> str | None:
    """``check-jsonschema`` beside this Python (a venv's bin/, activated or not), else PATH's."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    return str(beside) if beside.exists() else shutil.which("check-jsonschema")


def test_check_jsonschema_is_found_beside_the_interpreter(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")      # as with .venv/bin/python, not activated
    exe = check_jsonschema()
    assert exe is not None and Path(exe).parent == Path(sys.executable).parent


def validate(path: Path) -> subprocess.CompletedProcess:
    exe = check_jsonschema()
    if exe is None:
        pytest.fail("check-jsonschema is missing: pip install -r requirements.txt")
    return subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_workflow_matches_the_github_schema():
    run = validate(WORKFLOW)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "book.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "runs_on:"))
    run = validate(broken)
    assert run.returncode != 0 and "'runs-on' is a required property" in run.stdout


def test_pull_requests_run_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^## Test\n+```bash\n(.+?)\n```", readme, re.M | re.S).group(1)
    assert command.startswith("python -m pytest --nbval")
    assert command in WORKFLOW.read_text()


def test_pushes_to_main_build_with_warnings_as_errors_and_deploy_to_pages():
    text = WORKFLOW.read_text()
    assert "branches: [main]" in text
    assert "python book/build_editions.py" in text  # both editions, each built with -W -n
    assert '"-W", "-n"' in (ROOT / "book" / "build_editions.py").read_text()
    assert "actions/upload-pages-artifact" in text and "actions/deploy-pages" in text
