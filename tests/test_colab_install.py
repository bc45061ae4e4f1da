"""Each chapter's first code cell installs the package on Colab, and only there.

The cell is tagged ``colab-install`` (and ``remove-cell``, so the rendered book
hides it). Here it runs for real in a clean virtual environment that has the
book's dependencies but not `lstm_tutorial`, with ``google.colab`` faked and the
package source pointed at this checkout instead of GitHub (no network in CI).
Afterwards the chapter's own imports must succeed, and the packaged snapshots
must be there (they ship in the wheel, not beside it).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def install_cell(path: Path) -> str:
    tagged = [c for c in cells(path) if "colab-install" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged colab-install"
    return "".join(tagged[0]["source"])


def chapter_imports(path: Path) -> str:
    """The chapter's import statements (multi-line ones included), in order."""
    lines = []
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for match in re.finditer(r"^(?:from \S+ import \((?:.|\n)*?\)|(?:from|import) .*)$",
                                 source, re.M):
            lines.append(match.group(0))
    return "\n".join(lines)


def repository_url() -> str:
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    return re.search(r"^repository:\n\s+url:\s*(\S+)", config, re.M).group(1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_starts_with_the_same_hidden_install_cell(path):
    first_code = next(c for c in cells(path) if c["cell_type"] == "code")
    assert "colab-install" in first_code["metadata"].get("tags", [])
    assert "remove-cell" in first_code["metadata"]["tags"]  # hidden in the rendered book
    assert install_cell(path) == install_cell(NOTEBOOKS[0])
    assert f'"git+{repository_url()}"' in install_cell(path)


def test_install_cell_is_a_no_op_outside_colab():
    run = subprocess.run([sys.executable, "-c", install_cell(NOTEBOOKS[0]) +
                          "\nprint('google.colab' in sys.modules)"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "False", run.stderr


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory) -> Path:
    """A virtual environment with this one's dependencies but without lstm_tutorial."""
    venv = tmp_path_factory.mktemp("colab") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True).stdout
    # A plain path entry: the dependencies import, but the .pth files there (among them
    # the editable install of lstm_tutorial) are not processed.
    Path(site.strip(), "book_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def run_in(python: Path, code: str, cwd: Path, **env) -> subprocess.CompletedProcess:
    import os

    # nothing that would make the package importable without the install: no
    # LSTM_TUTORIAL_* settings and no PYTHONPATH (a developer's worktree, say)
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("LSTM_TUTORIAL") and k != "PYTHONPATH"}
    environment.update(env)
    return subprocess.run([str(python), "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=900, env=environment)


def package_source(folder: Path) -> Path:
    """What pip needs to build the package, copied (an in-tree build would leave build/)."""
    import shutil

    folder.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "lstm_tutorial", folder / "lstm_tutorial",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_install_cell_makes_a_chapters_imports_work_in_a_clean_venv(clean_venv, tmp_path):
    source = package_source(tmp_path / "src")
    before = run_in(clean_venv, "import lstm_tutorial", tmp_path)
    assert "No module named 'lstm_tutorial'" in before.stderr

    fake_colab = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('colab')\n"
    cell = install_cell(NOTEBOOKS[0])
    install = run_in(clean_venv, fake_colab + cell, tmp_path, LSTM_TUTORIAL_SOURCE=str(source))
    assert install.returncode == 0, install.stdout + install.stderr

    chapter = next(p for p in NOTEBOOKS if p.stem.startswith("08"))
    check = chapter_imports(chapter) + textwrap.dedent("""
        import lstm_tutorial, pathlib
        from lstm_tutorial.data import load_prices
        rows = len(load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair"))
        print("installed in", pathlib.Path(lstm_tutorial.__file__).parent.parent.name)
        print("rows", rows)
    """)
    after = run_in(clean_venv, check, tmp_path)
    assert after.returncode == 0, after.stderr[-3000:]
    assert after.stdout.strip().splitlines()[-2:] == ["installed in site-packages", "rows 318"]
