"""Build the book in both editions, or bring the zh-TW catalogs up to date.

    python book/build_editions.py              # English at _build/html, zh-TW at _build/html/zh-TW
    python book/build_editions.py --update     # after an English edit: refresh locale/zh_TW/*.po
    python book/build_editions.py --new notebooks/02_lstm_gates   # start translating a page

Both editions come from the same sources: the notebooks (code, outputs, glued numbers)
and pages in English, and ``locale/zh_TW/LC_MESSAGES/<page>.po`` holding the Chinese text
of each translated page. Sphinx's gettext builder extracts the English messages
(``_build/i18n/_build/gettext/<page>.pot``); ``--update`` merges them into the existing
catalogs with Babel, so a changed paragraph comes back *fuzzy* and a new one empty, and
``tests/test_translations.py`` fails until a translator has dealt with both.
"""

from __future__ import annotations

import argparse
import importlib
import io
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
LANGUAGE = "zh_TW"
CATALOGS = LOCALE / LANGUAGE / "LC_MESSAGES"
HTML = ROOT / "_build" / "html"
HEADER = ("# Traditional Chinese (Taiwan) text of the page %s of LSTM for Stock Prices.\n"
          "# Update with: python book/build_editions.py --update (see README).")
ISSUES = "https://github.com/lstm-tutorial/lstm-stock-book/issues"
TITLE = "以 LSTM 預測股價"  # the site title of the zh-TW edition


def _extension(name: str):
    """One of the book's Sphinx extensions (``book/_ext/<name>.py``), to share its code."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.pop(0)


def glued_words(root: Path, language: str) -> dict[str, str]:
    """Glued English words and their translation, as the build applies them."""
    return _extension("translated_glue").glued_words(root, language)


def run(*args: str | Path) -> None:
    """Run a command from the book's root; stop the build on failure."""
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def jupyter_book(*args: str | Path) -> None:
    run(Path(sys.executable).parent / "jupyter-book", "build", ".", *args)


def extract_messages(out: Path = ROOT / "_build" / "i18n") -> Path:
    """The English messages of every page, as ``<dir>/<page>.pot``; returns ``<dir>``.

    Built under its own output folder: the gettext builder cannot share the HTML build's
    doctrees.
    """
    jupyter_book("--builder", "custom", "--custom-builder", "gettext", "--path-output", out)
    return out / "_build" / "gettext"


def translated_pages() -> list[str]:
    """Pages with a zh-TW catalog, as docnames (``notebooks/01_rnn_intuition``)."""
    return sorted(p.relative_to(CATALOGS).with_suffix("").as_posix()
                  for p in CATALOGS.rglob("*.po"))


def update_catalog(page: str, pot_dir: Path, *, create: bool = False) -> Catalog:
    """Merge the page's English messages into its catalog and write it back."""
    pot_path = pot_dir / f"{page}.pot"
    if not pot_path.exists():
        raise SystemExit(f"no English messages for {page!r} ({pot_path}): is it in _toc.yml?")
    with pot_path.open("rb") as f:
        template = read_po(f)
    po_path = CATALOGS / f"{page}.po"
    if po_path.exists():
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=LANGUAGE)
    elif create:
        catalog = Catalog(locale=LANGUAGE, project="LSTM for Stock Prices", fuzzy=False,
                          version="zh-TW", header_comment=HEADER % page)
    else:
        raise SystemExit(f"{po_path} does not exist: start it with --new {page}")
    catalog.update(template, no_fuzzy_matching=False)
    catalog.version, catalog.language_team = "zh-TW", "zh-TW"
    catalog.last_translator = catalog.msgid_bugs_address = ISSUES
    catalog.obsolete.clear()  # a paragraph removed in English is removed here too
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, include_previous=True)
    if not po_path.exists() or _undated(po_path.read_bytes()) != _undated(buffer.getvalue()):
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po_path.write_bytes(buffer.getvalue())  # only when a message changed: no date churn
    return catalog


def _undated(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", po)


PASTED = re.compile(r'<span class="pasted-text">(.*?)</span>', re.S)


def glued_numbers(html: str) -> Counter:
    """The glued values a built page shows (myst-nb's ``pasted-text`` spans)."""
    return Counter(PASTED.findall(html))


ENGLISH_WORDS = re.compile(r"^[a-z]+(?: [a-z]+)*$")  # "worse than", "below": not numbers


def check_glued_numbers(english: Path, chinese: Path, pages: list[str],
                        words: dict[str, str] | None = None) -> list[str]:
    """Problems where a translated page does not show the English page's glued values.

    ``words`` maps glued English words to their translation (``glued_text.po``); a
    translated page must show the translation, every other value exactly as in English,
    and no glued English word.
    """
    words = words or {}
    problems = []
    for page in pages:
        en = glued_numbers((english / f"{page}.html").read_text(encoding="utf-8"))
        zh = glued_numbers((chinese / f"{page}.html").read_text(encoding="utf-8"))
        en = Counter(words.get(value, value) for value in en.elements())
        if en != zh:
            missing, extra = dict(en - zh), dict(zh - en)
            problems.append(f"{page}: glued values differ from the English page "
                            f"(missing {missing}, extra {extra})")
        untranslated = sorted(v for v in zh if ENGLISH_WORDS.match(v))
        if untranslated:
            problems.append(f"{page}: glued English words {untranslated}: add them to "
                            f"locale/{LANGUAGE}/glued_text.po")
    return problems


def build_both() -> None:
    """English with ``-W -n``, then zh-TW from the same sources, into ``_build/html/zh-TW``."""
    jupyter_book("-W", "-n", "--keep-going")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"]["language"] = LANGUAGE
    config["title"] = TITLE
    extensions = config["sphinx"]["local_extensions"]  # paths are read relative to the file
    config["sphinx"]["local_extensions"] = {k: str(ROOT / v) for k, v in extensions.items()}
    zh_config = ROOT / "_build" / "_config.zh-TW.yml"
    zh_config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    zh_out = ROOT / "_build" / "zh-TW"
    jupyter_book("-W", "-n", "--keep-going", "--config", zh_config, "--path-output", zh_out)
    target = HTML / _extension("editions").ZH_DIR  # where the language switch points
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(zh_out / "_build" / "html", target)
    words = glued_words(ROOT, LANGUAGE)
    problems = check_glued_numbers(HTML, target, translated_pages(), words)
    if problems:
        raise SystemExit("\n".join(problems))
    print(f"English: {HTML / 'index.html'}\n繁體中文: {target / 'index.html'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true",
                        help="merge changed English messages into every zh-TW catalog")
    parser.add_argument("--new", metavar="PAGE", nargs="+", default=[],
                        help="start a zh-TW catalog for these pages (docnames)")
    args = parser.parse_args(argv)
    if args.update or args.new:
        pot_dir = extract_messages()
        for page in args.new:
            update_catalog(page, pot_dir, create=True)
        for page in translated_pages():
            catalog = update_catalog(page, pot_dir)
            todo = sum(1 for m in catalog if m.id and (m.fuzzy or not m.string))
            print(f"{page}: {todo} message(s) to translate or check")
        return
    build_both()


if __name__ == "__main__":
    main()
