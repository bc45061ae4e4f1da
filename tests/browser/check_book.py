"""Check the built book in a real browser (headless Chromium driven by Selenium).

Usage (from the repository's top folder, after ``jupyter-book build .``)::

    python tests/browser/check_book.py [--html _build/html] [--out screenshots/]
                                       [--allow-skip] [--full-page] [--timeout 30]

What it does
    Serves ``--html`` on 127.0.0.1 (``http.server`` in a thread, a free port), opens
    every page listed in ``_toc.yml`` in headless Chromium and checks that

    * the page exists and its ``<title>`` contains the page's title (the first ``#``
      heading of the notebook or Markdown source), with the chapter number that
      ``_toc.yml`` adds shown once (a heading "# 1. Foo" would show as "1. 1. Foo");
    * a chapter whose notebook has image outputs shows at least one rendered figure
      (an ``<img>`` inside a cell output that the browser actually loaded);
    * math is typeset: MathJax finished, every ``.math`` element holds an
      ``mjx-container``, there is no MathJax error box, and no raw ``$$`` is left in the
      text (code blocks excluded);
    * solutions are hidden: the content of every ``solution dropdown`` is not visible
      until it is clicked;
    * the browser console has no SEVERE entry caused by the book's own files (see
      ``is_external`` for what is ignored and why);

    and saves one PNG screenshot per page in ``--out``. It prints one ``PASS``/``FAIL``
    line per page and exits non-zero if any page fails.

Requirements
    Debian/Ubuntu packages ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
    ``/usr/bin/chromedriver``; ``apt-get install -y chromium chromium-driver``) and the
    PyPI package ``selenium`` (in ``requirements.txt``). If the browser, the driver or
    selenium is missing the check fails, unless ``--allow-skip`` is given: then it prints
    a ``SKIP`` line and exits 0 (for CI machines without a browser).

MathJax
    The book serves MathJax itself (``_static/mathjax``, copied there at build time by the
    ``sphinx-mathjax-offline`` Sphinx extension), so math is typeset without a network
    connection, and this check can demand it.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[2]

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"]
DRIVER_CANDIDATES = ["/usr/bin/chromedriver", "chromedriver"]


# --------------------------------------------------------------------------- pages
def toc_pages(toc_file: Path) -> list[str]:
    """Every document of a jb-book ``_toc.yml``, in reading order (without suffix)."""
    import yaml

    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [str(Path(p).with_suffix("")) if Path(p).suffix in {".md", ".ipynb"} else p
            for p in pages]


def _plain(heading: str) -> str:
    """A Markdown heading as Sphinx puts it in <title>: no markup, single spaces."""
    text = re.sub(r"\{[a-z:-]+\}`([^`]*)`", r"\1", heading)  # {role}`text`
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](link)
    text = re.sub(r"[`*_]", "", text)
    return " ".join(text.split())


def source_info(doc: str) -> dict:
    """Title, 'has images' and 'has math/solutions' of a page, read from its source."""
    nb, md = REPO / f"{doc}.ipynb", REPO / f"{doc}.md"
    info = {"source": None, "title": None, "heading": None, "images": False, "math": False,
            "solutions": False}
    texts: list[str] = []
    if nb.exists():
        info["source"] = nb
        cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            src = "".join(cell.get("source", ""))
            if cell.get("cell_type") == "markdown":
                texts.append(src)
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if any(k.startswith("image/") for k in data):
                    info["images"] = True
                if "text/latex" in data:
                    info["math"] = True
    elif md.exists():
        info["source"] = md
        body = md.read_text(encoding="utf-8")
        # drop fenced code blocks (```python, ````md, ...), keep directives such as
        # ```{glossary}, whose bodies hold math
        texts.append(re.sub(r"^(`{3,}|~{3,})(?!\s*\{)[^\n]*\n.*?^\1[ \t]*$", "", body,
                            flags=re.S | re.M))
    text = "\n".join(texts)
    m = re.search(r"^#\s+(.+?)\s*$", text, flags=re.M)
    info["heading"] = m.group(1) if m else None  # as written: the msgid of a translation
    info["title"] = _plain(m.group(1)) if m else None
    prose = re.sub(r"``.*?``|`[^`\n]*`", "", text)  # inline code ($HOME is no math)
    if re.search(r"\$\$|(?<![\\\w])\$[^$\s][^$\n]*\$|\\begin\{|\{math\}", prose):
        info["math"] = True
    if nb.exists() and re.search(r"\{solution(-start)?\}", text):
        info["solutions"] = True
    return info


def translate_title(info: dict, doc: str, language: str) -> None:
    """Expect the translated title on a page with a catalog (``locale/<lang>/...``)."""
    po = REPO / "locale" / language / "LC_MESSAGES" / f"{doc}.po"
    info["translated"] = po.exists()
    if not po.exists() or not info["heading"]:
        return
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        message = read_po(f).get(info["heading"])
    if message is not None and message.string:
        info["title"] = _plain(message.string)


# --------------------------------------------------------------------------- server
class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the PASS/FAIL lines readable
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


# --------------------------------------------------------------------------- browser
def find_executable(candidates: list[str]) -> str | None:
    for name in candidates:
        path = name if os.path.isabs(name) else shutil.which(name)
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def make_driver(chromium: str, chromedriver: str, profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,1000", "--lang=en-US",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=opts)


def is_external(message: str, base: str) -> bool:
    """True if a console message is about a URL that is not the book's own server.

    The machine that runs this check may have no network. Anything the theme or a
    browser default fetches from another host (a CDN, a font service, an analytics or
    launch-button host) then fails with a SEVERE "Failed to load resource" or
    net::ERR_* entry that says nothing about the book, so entries that name only
    external URLs are ignored. Errors from our own files (a 404 on a ``_static`` asset, a
    JavaScript exception in a book script, a MathJax failure) still fail the page.
    """
    urls = re.findall(r"(?:https?|wss?)://[^\s'\"()]+", message)
    if not urls:
        return False
    own = urlsplit(base).netloc
    return all(urlsplit(u).netloc != own for u in urls)


def is_browser_noise(message: str, base: str) -> bool:
    """Requests the browser makes by itself, not the book: /favicon.ico."""
    return message.startswith(f"{base}/favicon.ico ")


JS_MATHJAX_DONE = """
const done = arguments[arguments.length - 1];
const t0 = Date.now();
const loaded = document.querySelector('script[src*="mathjax"]');
(function wait() {
  const mj = window.MathJax;
  if (!loaded) { done("not on this page"); return; }  // Sphinx adds it only where math is
  if (mj && mj.startup && mj.startup.promise) {
    mj.startup.promise.then(() => done("ok"), (e) => done("error: " + e));
  } else if (Date.now() - t0 > %d) {
    done(mj ? "MathJax did not start" : "MathJax not loaded");
  } else {
    setTimeout(wait, 100);
  }
})();
"""

JS_PAGE_FACTS = """
const article = document.querySelector("article") || document.body;
const clone = article.cloneNode(true);
clone.querySelectorAll("pre, code, script, style, mjx-container").forEach(e => e.remove());
const maths = Array.from(article.querySelectorAll(".math"));
const imgs = Array.from(article.querySelectorAll(".cell_output img, .output img"));
const sw = document.querySelector(".edition-switch a");
return {
  title: document.title,
  lang: document.documentElement.lang,
  switch_href: sw ? sw.href : null,
  cjk: (clone.innerText.match(/[\u4e00-\u9fff]/g) || []).length,
  text: clone.innerText,
  math_elements: maths.length,
  math_untypeset: maths.filter(e => !e.querySelector("mjx-container")).length,
  mjx_containers: article.querySelectorAll("mjx-container").length,
  mjx_errors: article.querySelectorAll("mjx-merror").length,
  figures: imgs.length,
  figures_loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
  solutions: article.querySelectorAll(".solution.dropdown").length,
  solutions_visible: Array.from(article.querySelectorAll(".solution.dropdown"))
      .filter(sol => Array.from(sol.querySelectorAll(":scope > .admonition-title ~ *"))
        .some(e => {
          const st = getComputedStyle(e);
          return st.display !== "none" && st.visibility !== "hidden"
                 && parseFloat(st.opacity) > 0 && e.getBoundingClientRect().height > 0;
        })).length,
};
"""


def screenshot(driver, path: Path, full_page: bool) -> None:
    if full_page:
        import base64

        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"],
                     "height": min(size["height"], 16000), "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))


def check_page(driver, base: str, doc: str, info: dict, out: Path, args) -> list[str]:
    problems: list[str] = []
    html = Path(args.html) / f"{doc}.html"
    if info["source"] is None:
        return [f"no source {doc}.ipynb or {doc}.md"]
    if not html.exists():
        return [f"page not built: {html}"]
    driver.get_log("browser")  # drop entries left by the previous page
    driver.get(f"{base}/{doc}.html")
    status = driver.execute_async_script(JS_MATHJAX_DONE % (args.timeout * 1000))
    # let images finish decoding and late scripts log their errors
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    facts = driver.execute_script(JS_PAGE_FACTS)

    title = " ".join(facts["title"].split())
    if info["title"] and info["title"] not in title:
        problems.append(f"title {title!r} does not contain {info['title']!r}")
    if re.match(r"(\d+(?:\.\d+)*)\.? \1\. ", title):
        # _toc.yml numbers the chapters; a number typed into the heading shows twice
        problems.append(f"chapter number shown twice in {title!r}: remove it from the "
                        "notebook's # heading")
    if facts["switch_href"] is None:
        problems.append("no language switch (.edition-switch) on the page")
    elif not (Path(args.html) / unquote(urlsplit(facts["switch_href"]).path.removeprefix("/"))
              ).exists():
        problems.append(f"language switch points to a missing page: {facts['switch_href']}")
    if args.language:
        want = args.language.replace("_", "-")
        if facts["lang"] != want:
            problems.append(f"<html lang={facts['lang']!r}>, expected {want!r}")
        if info.get("translated") and facts["cjk"] < 20:
            problems.append(f"translated page shows only {facts['cjk']} Chinese characters")
        if info.get("translated") and "**" in facts["text"]:
            # CommonMark: "**粗體**文字" is bold, "**`code`**文字" is not (the closing **
            # follows punctuation and precedes a letter); add a space after it
            problems.append("raw ** left in the translated text: emphasis did not parse")
    if info["images"]:
        if facts["figures"] == 0:
            problems.append("notebook has plots but the page shows no output figure")
        elif facts["figures_loaded"] < facts["figures"]:
            problems.append(f"{facts['figures'] - facts['figures_loaded']} of "
                            f"{facts['figures']} figures did not load")
    if status != "ok" and (info["math"] or facts["math_elements"]):
        problems.append(f"MathJax: {status}")
    if info["math"] and facts["mjx_containers"] == 0:
        problems.append("source has math but nothing was typeset")
    if facts["math_untypeset"]:
        problems.append(f"{facts['math_untypeset']} math element(s) left untypeset")
    if facts["mjx_errors"]:
        problems.append(f"{facts['mjx_errors']} MathJax error(s) (bad TeX)")
    if "$$" in facts["text"]:
        problems.append("raw $$ left in the page text")
    if info["solutions"] and facts["solutions"] == 0:
        problems.append("source has solutions but the page shows no solution dropdown")
    if facts["solutions_visible"]:
        problems.append(f"{facts['solutions_visible']} solution(s) visible before a click")

    severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    own = [m for m in severe if not is_external(m, base) and not is_browser_noise(m, base)]
    problems += [f"console: {m}" for m in own]

    out.mkdir(parents=True, exist_ok=True)
    shot = out / (doc.replace("/", "__") + ".png")
    screenshot(driver, shot, args.full_page)
    info["facts"] = facts
    info["ignored"] = len(severe) - len(own)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", default=str(REPO / "_build" / "html"),
                        help="the built book (default: _build/html)")
    parser.add_argument("--out", default=str(REPO / "screenshots"),
                        help="folder for one PNG per page (default: screenshots/)")
    parser.add_argument("--toc", default=str(REPO / "_toc.yml"))
    parser.add_argument("--allow-skip", action="store_true",
                        help="exit 0 with a SKIP line if Chromium/chromedriver/selenium "
                             "is missing")
    parser.add_argument("--full-page", action="store_true",
                        help="screenshot the whole page instead of the first screen")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per page")
    parser.add_argument("--language", default=None,
                        help="check a translated edition (zh_TW, with --html "
                             "_build/html/zh-TW): titles from locale/<language>/*.po")
    args = parser.parse_args(argv)

    chromium = find_executable(CHROMIUM_CANDIDATES)
    chromedriver = find_executable(DRIVER_CANDIDATES)
    try:
        import selenium  # noqa: F401
        has_selenium = True
    except ImportError:
        has_selenium = False
    missing = [name for name, ok in (("chromium", chromium), ("chromedriver", chromedriver),
                                      ("selenium", has_selenium)) if not ok]
    if missing:
        msg = (f"browser check: {', '.join(missing)} not installed "
               "(apt-get install -y chromium chromium-driver; pip install selenium)")
        if args.allow_skip:
            print(f"SKIP {msg}")
            return 0
        print(f"FAIL {msg}")
        return 2

    html = Path(args.html)
    if not (html / "index.html").exists():
        print(f"FAIL no built book in {html} (run: jupyter-book build .)")
        return 2

    os.environ.setdefault("SE_AVOID_STATS", "true")  # selenium: never phone home
    server, base = serve(html)
    profile = tempfile.mkdtemp(prefix="check-book-chromium-")
    driver = make_driver(chromium, chromedriver, profile)
    driver.set_page_load_timeout(args.timeout)
    driver.set_script_timeout(args.timeout + 5)
    failed = 0
    pages = toc_pages(Path(args.toc))
    try:
        for doc in pages:
            info = source_info(doc)
            if args.language:
                translate_title(info, doc, args.language)
            try:
                problems = check_page(driver, base, doc, info, Path(args.out), args)
            except Exception as exc:  # a crash on one page must not hide the others
                problems = [f"{type(exc).__name__}: {str(exc).splitlines()[0]}"]
            facts = info.get("facts", {})
            summary = (f"figures={facts.get('figures', 0)} "
                       f"math={facts.get('mjx_containers', 0)} "
                       f"solutions={facts.get('solutions', 0)} "
                       f"external_errors_ignored={info.get('ignored', 0)}")
            if problems:
                failed += 1
                print(f"FAIL {doc}: " + "; ".join(problems))
            else:
                print(f"PASS {doc}: {summary}")
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"{len(pages) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
