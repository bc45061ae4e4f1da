"""Glued numbers in translated pages (the zh-TW edition).

Sphinx translates a paragraph by parsing its translated text (the ``msgstr`` of
``locale/zh_TW/LC_MESSAGES/<page>.po``) on its own, outside the notebook. myst-nb's
``{glue:text}`key``` looks the key up in the notebook being parsed, finds none there,
and pastes nothing: the Chinese sentence would lose its number. This extension turns such
a role into myst-nb's cross-document form, ``<this notebook>::key``, which myst-nb
resolves after reading from the glue cache it wrote for the page. The number is then the
one the English page shows, formatted by the same format spec. English pages never take
this path: there the notebook's own glue data is found first.

Some glued values are words ("worse than" from ``stats.verdict``, "below" from the
backtest). Inside a translated sentence they are replaced by their translation from
``locale/<language>/glued_text.po``; numbers are never touched.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole
from sphinx.transforms.post_transforms import SphinxPostTransform

_paste_text = PasteTextRole.run


def _run(self: PasteTextRole):
    env = getattr(self.document.settings, "env", None)
    if env is not None and "nb_renderer" not in self.document and "::" not in self.text:
        source = Path(env.doc2path(env.docname))
        if source.suffix == ".ipynb":
            # ``doc::key`` needs an explicit format spec ("s" is the default of ``key``)
            spec = "" if ":" in self.text else ":s"
            self.text = f"{source.name}::{self.text}{spec}"
    return _paste_text(self)


@lru_cache(maxsize=4)  # read once per build, not once per page
def glued_words(srcdir: str | Path, language: str) -> dict[str, str]:
    """English glued words and their translations (``locale/<language>/glued_text.po``)."""
    path = Path(srcdir) / "locale" / language / "glued_text.po"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}


class TranslateGluedWords(SphinxPostTransform):
    """Translate word-valued glue in translated paragraphs (after myst-nb pastes it)."""

    default_priority = 10  # myst-nb resolves ``doc::key`` references at 5

    def run(self, **kwargs) -> None:
        language = self.config.language
        if language in (None, "", "en"):
            return
        words = glued_words(self.app.srcdir, language)
        for node in list(self.document.findall(nodes.inline)):
            if "pasted-text" not in node["classes"] or node.astext() not in words:
                continue
            if any(a.get("translated") for a in _ancestors(node)):
                text = words[node.astext()]
                node.replace_self(nodes.inline(text, text, classes=node["classes"]))


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


def setup(app):
    PasteTextRole.run = _run
    app.add_post_transform(TranslateGluedWords)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
