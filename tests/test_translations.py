"""The zh-TW edition: complete catalogs, surviving glue roles, and the build's own checks.

Each translated page has ``locale/zh_TW/LC_MESSAGES/<page>.po`` (see
``book/build_editions.py``). A catalog fails here when a message is untranslated or
fuzzy (an English edit that nobody has re-translated), when a translation drops, adds or
changes a ``{glue:text}`` role or an inline formula, or when the English page has a
message the catalog lacks.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


editions = _load("build_editions", REPO / "book" / "build_editions.py")  # the build script
switch = _load("editions_ext", REPO / "book" / "_ext" / "editions.py")  # the Sphinx extension

PAGES = editions.translated_pages()
GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
MATH = re.compile(r"(?<![\\$])\$\$?[^$]+\$\$?")
CODE = re.compile(r"``.*?``|`[^`]*`")  # `$HOME` in a code span is no formula


def formulas(text: str) -> list[str]:
    """The inline formulas of a message, outside code spans and roles."""
    return sorted(MATH.findall(CODE.sub("", text)))


def catalog_at(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale=editions.LANGUAGE)


def catalog(page: str):
    return catalog_at(editions.CATALOGS / f"{page}.po")


def messages(page: str):
    return [m for m in catalog(page) if m.id]


def test_every_page_but_the_api_reference_is_translated():
    toc = re.findall(r"(?:root|file): (\S+)", (REPO / "_toc.yml").read_text())
    assert set(PAGES) == set(toc) - set(switch.KEPT_IN_ENGLISH)
    assert set(switch.KEPT_IN_ENGLISH) == {"book/api"}  # generated from English docstrings


@pytest.mark.parametrize("page", PAGES)
def test_every_message_is_translated_and_none_is_fuzzy(page):
    problems = [("fuzzy" if m.fuzzy else "untranslated", m.id[:60])
                for m in messages(page) if m.fuzzy or not m.string.strip()]
    assert not problems, f"{page}: {problems}"
    assert not catalog(page).obsolete


@pytest.mark.parametrize("page", PAGES)
def test_glue_roles_and_formulas_are_the_same_in_the_translation(page):
    for m in messages(page):
        assert sorted(GLUE.findall(m.string)) == sorted(GLUE.findall(m.id)), m.id[:60]
        assert formulas(m.string) == formulas(m.id), m.id[:60]


def test_the_role_check_catches_a_dropped_or_changed_number():
    english = "Reversing the window moves it by {glue:text}`state_change:.3f` in $[-1, 1]$."
    assert GLUE.findall(english) == ["{glue:text}`state_change:.3f`"]
    assert GLUE.findall("反轉視窗使它移動 {glue:text}`state_change:.2f`。") != GLUE.findall(english)
    assert formulas(english) == ["$[-1, 1]$"]
    assert formulas("set `$LSTM_TUTORIAL_DATA` or `$LSTM_TUTORIAL_CACHE`") == []


def test_catalogs_hold_every_message_of_the_english_pages(tmp_path):
    pot_dir = editions.extract_messages(tmp_path / "i18n")
    for page in PAGES:
        with (pot_dir / f"{page}.pot").open("rb") as f:
            english = {m.id for m in read_po(f) if m.id}
        translated = {m.id for m in messages(page)}
        missing = english - translated
        assert not missing, (f"{page}: {len(missing)} English message(s) not in the catalog; "
                             "run python book/build_editions.py --update and translate them")


def test_glued_number_check_compares_a_page_with_its_translation(tmp_path):
    en, zh = tmp_path / "en", tmp_path / "zh"
    for root, text in ((en, "by <span class=\"pasted-text\">0.194</span> and "
                            "<span class=\"pasted-text\">60</span>"),
                       (zh, "移動 <span class=\"pasted-text\">0.194</span>")):
        (root / "notebooks").mkdir(parents=True)
        (root / "notebooks" / "p.html").write_text(text, encoding="utf-8")
    [problem] = editions.check_glued_numbers(en, zh, ["notebooks/p"])
    assert "missing {'60': 1}" in problem
    (zh / "notebooks" / "p.html").write_text(
        "<span class=\"pasted-text\">60</span>，<span class=\"pasted-text\">0.194</span>")
    assert editions.check_glued_numbers(en, zh, ["notebooks/p"]) == []


def test_glued_words_are_shown_translated_and_never_in_english(tmp_path):
    en, zh = tmp_path / "en", tmp_path / "zh"
    for root, text in ((en, "LSTM is <span class=\"pasted-text\">worse than</span> naive"),
                       (zh, "LSTM <span class=\"pasted-text\">worse than</span>樸素預測")):
        (root / "notebooks").mkdir(parents=True)
        (root / "notebooks" / "p.html").write_text(text, encoding="utf-8")
    words = {"worse than": "劣於"}
    problems = editions.check_glued_numbers(en, zh, ["notebooks/p"], words)
    assert any("glued English words ['worse than']" in p for p in problems)
    (zh / "notebooks" / "p.html").write_text("LSTM <span class=\"pasted-text\">劣於</span>")
    assert editions.check_glued_numbers(en, zh, ["notebooks/p"], words) == []


def test_two_english_words_with_one_translation_are_both_counted(tmp_path):
    en, zh = tmp_path / "en", tmp_path / "zh"
    span = "<span class=\"pasted-text\">{}</span>"
    for root, text in ((en, span.format("loses to") + span.format("worse than")),
                       (zh, span.format("劣於") + span.format("劣於"))):
        (root / "notebooks").mkdir(parents=True)
        (root / "notebooks" / "p.html").write_text(text, encoding="utf-8")
    words = {"loses to": "劣於", "worse than": "劣於"}
    assert editions.check_glued_numbers(en, zh, ["notebooks/p"], words) == []


def test_every_glued_word_has_a_translation():
    words = catalog_at(editions.LOCALE / editions.LANGUAGE / "glued_text.po")
    entries = [m for m in words if m.id]
    assert {"better than", "worse than", "not distinguishable from"} <= {m.id for m in entries}
    assert all(m.string.strip() and not m.fuzzy for m in entries)
    # the build reads the same entries (book/_ext/translated_glue.py)
    assert editions.glued_words(REPO, editions.LANGUAGE)["worse than"] == "劣於"


@pytest.mark.parametrize("page, language, expected", [
    ("book/intro", None, 'href="../zh-TW/book/intro.html"'),
    ("notebooks/01_rnn_intuition", "zh_TW", 'href="../../notebooks/01_rnn_intuition.html"'),
    ("index", None, 'href="zh-TW/index.html"'),
])
def test_the_language_switch_links_the_same_page_in_the_other_edition(page, language,
                                                                      expected):
    html = switch.switch_html(page, language, translated=True)
    assert expected in html
    assert "尚未翻譯" not in html


def test_an_untranslated_chinese_page_says_so():
    assert "本頁尚未翻譯" in switch.switch_html("notebooks/08_case_study_0050", "zh_TW",
                                               translated=False)
    assert "docstring" in switch.switch_html("book/api", "zh_TW", translated=False)
