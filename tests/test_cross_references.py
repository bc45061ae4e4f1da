"""Chapter and section numbers in the prose agree with the book's table of contents.

The prose pages (``book/*.md``, ``README.md``) and the chapters' markdown cells refer to
each other by number: "chapter 7", "chapters 5–6", "Chapter 4's", "section 5.10". Those
numbers are not links, so nothing in the build checks them: a renumbered chapter, or a
glossary entry that names the wrong chapter, stays wrong silently. This test recomputes
the numbering the way Jupyter Book prints it and checks four things:

1. every number exists: chapters 1..10 in ``_toc.yml`` order (numbered parts continue
   their numbering, ``use_multitoc_numbering``); a section N.M is a ``##`` heading of
   chapter N, numbered in page order, and a sub-page listed under ``sections:`` follows
   the chapter's own headings (``03b_long_memory`` is therefore 3.k with k one more than
   chapter 3's number of ``##`` headings, not 3.1);
2. a mention next to a ``{doc}`` link to a chapter (same clause, within a few words)
   names that chapter: "chapter 8 ({doc}`/notebooks/07_case_study_aapl`)" fails;
3. a mention next to a chapter's nickname ("the AAPL case study", "capstone",
   "volatility") names that chapter;
4. every chapter a glossary entry cites actually uses the term (or an alias listed
   below): "dropout ... Chapter 7" fails when chapter 7 never mentions dropout.

"section N.M" right after a ``{cite}`` is a section of the cited book and is skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# Notebooks whose markdown still has a wrong mention, skipped until fixed (empty it then).
NOTEBOOKS_SKIPPED: dict[str, str] = {}

# Words that name one chapter (or section) unmistakably, by book number of the target.
NICKNAMES: dict[str, str] = {
    r"AAPL (?:case study|chapter)|case study (?:of|on) AAPL": "notebooks/07_case_study_aapl",
    r"0050 (?:case study|chapter)|Taiwan (?:ETF )?case study": "notebooks/08_case_study_0050",
    # not the bare word: "the ETF's volatility" in another chapter names no chapter
    r"\(volatility\)|volatility chapter|chapter on (?:daily )?volatility":
        "notebooks/09_volatility",
    r"MSFT (?:case study|chapter)|Microsoft case study|capstone": "notebooks/10_case_study_msft",
    r"long[- ]memory (?:section|task)": "notebooks/03b_long_memory",
}

# Glossary term -> other words a chapter may use for it (lower case).
GLOSSARY_ALIASES: dict[str, tuple[str, ...]] = {
    "time step": ("time steps", "timestep"),
    "unrolling": ("unroll",),
    "sequence-to-sequence (seq2seq)": ("seq2seq",),
    "encoder–decoder": ("encoder-decoder", "encoder–decoder", "encoder"),
    "long short-term memory (lstm)": ("lstm",),
    "element-wise product (hadamard product)": ("element-wise", "elementwise", "\\odot"),
    "hyperbolic tangent (tanh)": ("tanh",),
    "gated recurrent unit (gru)": ("gru",),
    "dense layer": ("dense(",),
    "stacked lstm": ("stacked",),
    "gradient check": ("gradienttape", "finite difference"),
    "parameters per sample": ("parameters per training", "per training window",
                              "parameters per window", "params_per"),
    "loss function": ("loss",),
    "backpropagation through time (bptt)": ("bptt",),
    "gradient clipping": ("clipnorm", "clipping"),
    "learning-rate schedule": ("reducelronplateau",),
    "checkpoint": ("modelcheckpoint",),
    "overfitting": ("overfit",),
    "seed": ("seed_everything",),
    "ohlcv": ("open, high, low, close",),
    "candlestick chart": ("candlestick",),
    "adjusted close": ("adj close",),
    "forward adjustment": ("adj close",),
    "split and dividend adjustment": ("adjust_for_splits_and_dividends",),
    "ex-dividend day": ("ex-dividend",),
    "sample (window)": ("samples", "windows"),
    "sliding window": ("sliding window", "make_windows"),
    "horizon": ("horizon",),
    "chronological split": ("chronological_split", "chronological"),
    "training set": ("training span", "train"),
    "validation set": ("validation span", "validation"),
    "test set": ("test span",),
    "normalisation": ("minmaxscaler", "normalis"),
    "standardisation": ("standardscaler",),
    "inverse transform": ("inverse_transform", "inverse"),
    "data leakage": ("leak",),
    "look-ahead bias": ("look-ahead",),
    "vendor glitch": ("glitch",),
    "naive forecast": ("naive",),
    "linear regression baseline": ("linear",),
    "returns": ("return",),
    "log return": ("log return",),
    "drift forecast": ("drift",),
    "skill score": ("skill",),
    "root mean squared error (rmse)": ("rmse",),
    "mean absolute error (mae)": ("mae",),
    "mean absolute percentage error (mape)": ("mape",),
    "mean absolute scaled error (mase)": ("mase",),
    "diebold–mariano test": ("diebold", "dm test"),
    "block bootstrap": ("bootstrap",),
    "walk-forward validation": ("walk-forward", "walk_forward"),
    "lag illusion": ("lag_diagnostic", "lag illusion"),
    "expanding window": ("expanding",),
    "rolling window": ("rolling",),
    "cross-correlation": ("cross-correlation", "cross_correlation"),
    "volatility clustering": ("cluster",),
    "variance proxy": ("proxy", "proxies"),
    "range-based variance estimator": ("parkinson",),
    "qlike": ("qlike",),
    "ewma variance": ("ewma",),
    "har model": ("har",),
}

NUMBER = r"\d+(?:\.\d+)?"
MENTION = re.compile(
    rf"\b(?P<kind>[Cc]hapters?|[Ss]ections?)\s+"
    rf"(?P<numbers>{NUMBER}(?:\s*(?:,|–|—|-|to|and|or)\s*{NUMBER})*)(?![.\d]*\d)"
)
DOC_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?/?(?:\.\./)?(?P<file>notebooks/[\w.-]+?)>?`")
CITE = re.compile(r"\{cite(?::[pt])?\}`[^`]*`")
# A clause ends at a sentence, a semicolon or colon, a blank line or a table cell.
CLAUSE_END = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n|\|")
NEAR = 80  # characters between a mention and the link or nickname it refers to


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # "chapter" or "section"
    numbers: tuple[str, ...]
    text: str


def parse_mentions(text: str) -> list[Mention]:
    """Every "chapter N" / "chapters N–M" / "section N.M" in ``text``, ranges expanded."""
    found = []
    for match in MENTION.finditer(text):
        kind = "section" if match["kind"].lower().startswith("section") else "chapter"
        parts = re.split(r"\s*(,|–|—|-|to|and|or)\s*", match["numbers"])
        numbers: list[str] = [parts[0]]
        for sep, value in zip(parts[1::2], parts[2::2], strict=True):
            if sep in ("–", "—", "-", "to") and numbers[-1].isdigit() and value.isdigit():
                numbers += [str(n) for n in range(int(numbers[-1]) + 1, int(value) + 1)]
            else:
                numbers.append(value)
        found.append(Mention(match.start(), match.end(), kind, tuple(numbers), match[0]))
    return found


def markdown_headings(source: str) -> list[str]:
    """The ``##`` headings of a page's markdown, outside code fences, in order."""
    headings, fenced = [], False
    for line in source.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            headings.append(line[3:].strip())
    return headings


def book_numbers(toc: dict, headings: dict[str, list[str]]) -> dict[str, str]:
    """Number of every numbered file as Jupyter Book prints it: "7", "3.11".

    ``headings`` maps a file to its ``##`` headings (they are numbered N.1, N.2, ...
    before the chapter's sub-pages).
    """
    numbers: dict[str, str] = {}
    chapter = 0
    for part in toc["parts"]:
        if not part.get("numbered"):
            continue
        for entry in part["chapters"]:
            chapter += 1
            numbers[entry["file"]] = str(chapter)
            own = len(headings.get(entry["file"], []))
            for k, section in enumerate(entry.get("sections", []), start=own + 1):
                numbers[section["file"]] = f"{chapter}.{k}"
    return numbers


def valid_sections(numbers: dict[str, str], headings: dict[str, list[str]]) -> set[str]:
    """Every section number N.M of the book: the chapters' headings and sub-pages."""
    sections = {n for n in numbers.values() if "." in n}
    for file, number in numbers.items():
        if "." not in number:
            sections |= {f"{number}.{k}" for k in range(1, len(headings.get(file, [])) + 1)}
    return sections


def _clauses(text: str):
    start = 0
    for boundary in CLAUSE_END.finditer(text):
        yield start, text[start:boundary.start()]
        start = boundary.end()
    yield start, text[start:]


def _compatible(target: str, mention: Mention) -> bool:
    """A chapter's number, or a sub-page's chapter, is among the mention's numbers."""
    return target in mention.numbers or target.split(".")[0] in mention.numbers


def _nearest(span: tuple[int, int], mentions: list[Mention]) -> Mention | None:
    def gap(m: Mention) -> int:
        return max(m.start - span[1], span[0] - m.end, 0)

    best = min(mentions, key=gap, default=None)
    return best if best is not None and gap(best) <= NEAR else None


def check_text(text: str, numbers: dict[str, str], sections: set[str],
               nicknames: dict[str, str] = NICKNAMES) -> list[str]:
    """Problems with the chapter and section mentions of one text (empty when right)."""
    chapters = {n for n in numbers.values() if "." not in n}
    problems = []
    for _, clause in _clauses(text):
        cites = [c.end() for c in CITE.finditer(clause)]
        # "section N.M" just after a citation is a section of the cited book
        mentions = [m for m in parse_mentions(clause) if not (
            m.kind == "section" and any(0 <= m.start - c <= NEAR for c in cites))]
        for m in mentions:
            valid = sections if m.kind == "section" else chapters
            missing = [n for n in m.numbers if n not in valid]
            if missing:
                problems.append(f"{m.text!r}: no {m.kind} {', '.join(missing)} in the book")
        targets = [(link.span(), link["file"], f"{{doc}} link to {link['file']}")
                   for link in DOC_LINK.finditer(clause)]
        for pattern, file in nicknames.items():
            targets += [(hit.span(), file, f"{hit[0]!r}")
                        for hit in re.finditer(pattern, clause, flags=re.IGNORECASE)]
        for span, file, what in targets:
            if file not in numbers:
                continue
            mention = _nearest(span, mentions)
            if mention is not None and not _compatible(numbers[file], mention):
                problems.append(f"{mention.text!r} next to {what}, which is "
                                f"{'section' if '.' in numbers[file] else 'chapter'} "
                                f"{numbers[file]}")
    return problems


def glossary_entries(text: str) -> list[tuple[list[str], str]]:
    """(term lines, definition) of every entry inside the ``{glossary}`` blocks."""
    entries: list[tuple[list[str], str]] = []
    for block in re.findall(r"```\{glossary\}\n(.*?)```", text, flags=re.DOTALL):
        terms: list[str] = []
        definition: list[str] = []
        for line in block.splitlines() + [""]:
            if line and not line[0].isspace():
                if definition:
                    entries.append((terms, " ".join(definition)))
                    terms, definition = [], []
                terms.append(line.strip())
            elif line.strip():
                definition.append(line.strip())
        if terms and definition:
            entries.append((terms, " ".join(definition)))
    return entries


def _search_keys(term: str) -> list[str]:
    key = term.lower()
    keys = [key, re.sub(r"\s*\(.*\)", "", key)]
    keys += re.findall(r"\((.*?)\)", key)
    keys += list(GLOSSARY_ALIASES.get(key, ()))
    return list(dict.fromkeys(k for k in keys if k))


def check_glossary(text: str, numbers: dict[str, str], chapter_text: dict[str, str]) -> list[str]:
    """Every chapter a glossary entry cites must use the entry's term.

    ``chapter_text`` maps a chapter number ("7") to the lower-cased text of that chapter
    and its sub-pages.
    """
    problems = []
    for terms, definition in glossary_entries(text):
        english = [t for t in terms if not re.search(r"[\u4e00-\u9fff]", t)]
        if not english:
            problems.append(f"glossary entry {terms} has no English term")
            continue
        keys = [k for t in english for k in _search_keys(t)]
        for mention in parse_mentions(definition):
            if mention.kind != "chapter":
                continue
            for number in mention.numbers:
                body = chapter_text.get(number)
                if body is not None and not any(k in body for k in keys):
                    problems.append(f"glossary {english[0]!r} cites chapter {number}, "
                                    f"which never uses {keys}")
    return problems


# ----------------------------------------------------------------------------- the book
def _notebook_markdown(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def _notebook_text(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells).lower()


@pytest.fixture(scope="module")
def book():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    notebooks = {f"notebooks/{p.stem}": p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))}
    headings = {file: markdown_headings("\n".join(_notebook_markdown(path)))
                for file, path in notebooks.items()}
    numbers = book_numbers(toc, headings)
    chapter_text: dict[str, str] = {}
    for file, number in numbers.items():
        chapter = number.split(".")[0]
        chapter_text[chapter] = chapter_text.get(chapter, "") + _notebook_text(notebooks[file])
    return {"numbers": numbers, "sections": valid_sections(numbers, headings),
            "notebooks": notebooks, "chapter_text": chapter_text}


PAGES = sorted((ROOT / "book").glob("*.md")) + [ROOT / "README.md"]


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_prose_page_mentions_match_the_toc(book, path):
    problems = check_text(path.read_text(encoding="utf-8"), book["numbers"], book["sections"])
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_glossary_cites_chapters_that_use_the_term(book):
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    problems = check_glossary(text, book["numbers"], book["chapter_text"])
    assert not problems, "\n".join(problems)


def test_notebook_mentions_match_the_toc(book):
    problems = []
    for path in book["notebooks"].values():
        if path.name in NOTEBOOKS_SKIPPED:
            continue
        for cell in _notebook_markdown(path):
            problems += [f"{path.name}: {p}"
                         for p in check_text(cell, book["numbers"], book["sections"])]
    assert not problems, "\n".join(problems)


def test_skip_list_names_existing_notebooks(book):
    names = {p.name for p in book["notebooks"].values()}
    assert set(NOTEBOOKS_SKIPPED) <= names


def test_long_memory_section_is_numbered_after_chapter_3s_headings(book):
    numbers = book["numbers"]
    assert numbers["notebooks/01_rnn_intuition"] == "1"
    assert numbers["notebooks/10_case_study_msft"] == "10"
    chapter, section = numbers["notebooks/03b_long_memory"].split(".")
    assert chapter == "3" and int(section) > 1


# ----------------------------------------------------------------------------- the parser
TOC = {"parts": [
    {"caption": "A", "numbered": True, "chapters": [
        {"file": "notebooks/01_a"},
        {"file": "notebooks/02_b", "sections": [{"file": "notebooks/02b_c"}]},
    ]},
    {"caption": "B", "numbered": True, "chapters": [
        {"file": "notebooks/03_case_study_aapl"},
        {"file": "notebooks/04_case_study_0050"},
    ]},
    {"caption": "Appendix", "chapters": [{"file": "book/glossary"}]},
]}
HEADINGS = {"notebooks/02_b": ["Objectives", "Details"], "notebooks/01_a": ["Objectives"]}
SMALL_NICKNAMES = {r"AAPL case study": "notebooks/03_case_study_aapl",
                   r"long memory task": "notebooks/02b_c"}


@pytest.fixture
def small_book():
    numbers = book_numbers(TOC, HEADINGS)
    return numbers, valid_sections(numbers, HEADINGS)


def test_numbering_continues_across_parts_and_sub_pages_follow_the_headings(small_book):
    numbers, sections = small_book
    assert numbers == {"notebooks/01_a": "1", "notebooks/02_b": "2",
                       "notebooks/02b_c": "2.3", "notebooks/03_case_study_aapl": "3",
                       "notebooks/04_case_study_0050": "4"}
    assert sections == {"1.1", "2.1", "2.2", "2.3"}


def test_parse_mentions_expands_ranges_and_lists():
    got = [m.numbers for m in parse_mentions(
        "chapters 1–3, Chapter 4's model, chapters 5 and 7, chapters 2 to 4, section 2.3.")]
    assert got == [("1", "2", "3"), ("4",), ("5", "7"), ("2", "3", "4"), ("2.3",)]
    assert parse_mentions("the chapter number") == []


@pytest.mark.parametrize("text", [
    "See chapter 3 and chapter 4's exercises.",
    "Chapters 1–4 need no data.",
    "chapter 3 ({doc}`/notebooks/03_case_study_aapl`)",
    "{doc}`/notebooks/02b_c` (a section of chapter 2)",
    "The AAPL case study (chapter 3) trains it.",
    "{doc}`/notebooks/02b_c` (section 2.3), then chapter 3",
    "the textbook {cite:p}`hyndman2021fpp3`, section 5.10, explains it",
    "section 2.3 trains it",
])
def test_correct_mentions_pass(small_book, text):
    numbers, sections = small_book
    assert check_text(text, numbers, sections, SMALL_NICKNAMES) == []


@pytest.mark.parametrize("text", [
    "See chapter 5.",                                      # no chapter 5
    "Chapters 3–6 are case studies.",                      # 5 and 6 missing
    "chapter 4 ({doc}`/notebooks/03_case_study_aapl`)",    # the link is chapter 3
    "{doc}`/notebooks/02b_c` (a section of chapter 1)",    # it is under chapter 2
    "The AAPL case study (chapter 4) trains it.",          # the AAPL chapter is 3
    "section 2.4 trains it",                               # chapter 2 has 2.1-2.3
    "section 2.1 of the long memory task",                 # nickname: 2.3
])
def test_wrong_mentions_fail(small_book, text):
    numbers, sections = small_book
    assert check_text(text, numbers, sections, SMALL_NICKNAMES) != []


GLOSSARY = """
```{glossary}
dropout
丟棄法
  Zeroing activations at random. Chapter 3.

seed
隨機種子
  A start value. Chapters 1 and 3.
```
"""


def test_glossary_entries_are_parsed():
    entries = glossary_entries(GLOSSARY)
    assert [terms for terms, _ in entries] == [["dropout", "丟棄法"], ["seed", "隨機種子"]]
    assert entries[1][1] == "A start value. Chapters 1 and 3."


def test_glossary_entry_citing_a_chapter_without_the_term_fails(small_book):
    numbers, _ = small_book
    texts = {"1": "we fix the seed", "3": "an lstm with a seed and no regulariser"}
    problems = check_glossary(GLOSSARY, numbers, texts)
    assert len(problems) == 1 and "'dropout' cites chapter 3" in problems[0]
    texts["3"] += " then dropout(0.2)"
    assert check_glossary(GLOSSARY, numbers, texts) == []
