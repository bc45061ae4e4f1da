"""Drop duplicated <script> tags that Sphinx 7.4 writes for late-registered inline JS.

sphinx-thebe and sphinx-togglebutton register inline scripts (``add_js_file(None,
body=...)``) after the HTML builder is initialised. Sphinx 7.4 then adds each one twice:
once from ``Sphinx.add_js_file`` (filename ``None``) and once more in
``StandaloneHTMLBuilder.prepare_writing`` (filename ``''``), which compare unequal. The
second copy of ``const THEBE_JS_URL = ...`` is a JavaScript SyntaxError on every page
("Identifier 'THEBE_JS_URL' has already been declared"), which the browser check
(tests/browser/check_book.py) rightly reports. jupyter-book 1.x requires sphinx~=7.0,
so this small extension removes the duplicates from each page's script list.
"""

from __future__ import annotations


def _key(js) -> tuple:
    filename = getattr(js, "filename", js) or ""
    attributes = getattr(js, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _dedupe(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for js in scripts:
        key = _key(js)
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app):
    # run after every other html-page-context handler that may add scripts
    app.connect("html-page-context", _dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
