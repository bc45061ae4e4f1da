"""A language switch on every page: English at the site root, zh-TW under ``zh-TW/``.

``python book/build_editions.py`` builds both editions from the same sources (the zh-TW one
with ``language: zh_TW`` and the catalogs in ``locale/``). Each page gets a link to the
same page in the other edition, as a plain relative link, so it works on GitHub Pages
and from files on disk alike. A zh-TW page whose catalog does not exist yet says so
above the English text instead of passing it off as translated.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.util.i18n import docname_to_domain

ZH_DIR = "zh-TW"  # the zh-TW edition's folder under the English site root
# Pages left in English on purpose, and why (said on the Chinese page).
KEPT_IN_ENGLISH = {
    "book/api": "API 參考由套件的英文 docstring 自動產生，與程式碼一樣保留英文。",
}


def is_translated(srcdir: str | Path, language: str, pagename: str) -> bool:
    """Whether ``locale/<language>/LC_MESSAGES/<pagename>.po`` exists."""
    return (Path(srcdir) / "locale" / language / "LC_MESSAGES" / f"{pagename}.po").exists()


def switch_html(pagename: str, language: str | None, translated: bool) -> str:
    """The switch's HTML for one page: a relative link to the other edition."""
    up = "../" * pagename.count("/")
    if language == "zh_TW":
        href, label, lang = f"../{up}{pagename}.html", "English", "en"
        reason = KEPT_IN_ENGLISH.get(pagename, "本頁尚未翻譯，以下為英文原文。")
        note = "" if translated else f'<span class="edition-note">{reason}</span>'
    else:
        href, label, lang = f"{up}{ZH_DIR}/{pagename}.html", "繁體中文", "zh-TW"
        note = ""
    return (f'<div class="edition-switch"><a href="{escape(href)}" hreflang="{lang}" '
            f'lang="{lang}">{label}</a>{note}</div>\n')


def _add_switch(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or "body" not in context:
        return
    language = app.config.language
    translated = language != "zh_TW" or is_translated(app.srcdir, language, pagename)
    context["body"] = switch_html(pagename, language, translated) + context["body"]


CSS = """
.edition-switch { float: right; font-size: 0.9em; margin: 0 0 0.5em 1em; }
.edition-switch .edition-note { display: block; color: var(--pst-color-warning); }
"""


def _write_css(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(exist_ok=True)
        (static / "editions.css").write_text(CSS, encoding="utf-8")


def _translate_captions(app, doctree) -> None:
    """Translate the part captions of ``_toc.yml`` ("Foundations", ...).

    sphinx-external-toc adds the toctrees after Sphinx has translated the page, so their
    captions are translated here, from the page's own catalog, where gettext put them.
    """
    captioned = [t for t in doctree.findall(addnodes.toctree) if t.get("caption")]
    if not captioned or app.config.language in (None, "", "en"):
        return  # only the root page has captions: no catalog lookup for the others
    dirs = [str(Path(app.srcdir) / d) for d in app.config.locale_dirs]
    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    if has_catalog:
        for toctree in captioned:
            toctree["caption"] = catalog.gettext(toctree["caption"])


def setup(app):
    app.connect("doctree-read", _translate_captions)
    app.connect("html-page-context", _add_switch)
    app.add_css_file("editions.css")
    app.connect("build-finished", _write_css)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
