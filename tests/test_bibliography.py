"""The bibliography: every key once, and every cited key present.

A repeated entry is a warning in sphinxcontrib-bibtex, which the ``-W`` book
build turns into a failure; catching it here names the key without a build.
"""
from __future__ import annotations

import collections
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = re.compile(r"^@\w+\{([^,\s]+),", re.M)
CITE = re.compile(r"\{cite[a-z:]*\}`([^`]+)`")
INLINE_CODE = re.compile(r"``.*?``")  # an example of the syntax, not a citation


def _bib_keys() -> list[str]:
    return ENTRY.findall((ROOT / "references.bib").read_text(encoding="utf-8"))


def _cited_keys() -> set[str]:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.md")]
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        texts += ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    keys = set()
    for text in texts:
        for group in CITE.findall(INLINE_CODE.sub("", text)):
            keys.update(k.strip() for k in group.split(","))
    return keys


def test_every_bibliography_key_appears_once():
    repeated = [k for k, n in collections.Counter(_bib_keys()).items() if n > 1]
    assert repeated == [], f"repeated entries in references.bib: {repeated}"


def test_every_cited_key_is_in_the_bibliography():
    missing = sorted(_cited_keys() - set(_bib_keys()))
    assert _cited_keys(), "no citations found: the pattern no longer matches"
    assert missing == [], f"cited but not in references.bib: {missing}"
