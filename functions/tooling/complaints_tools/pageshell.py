"""After ``mkdocs build``: finish the built guide, and make the frame of the pages the API draws.

``make site`` runs it (``python -m complaints_tools.pageshell build/site``); so do the tests that
build the guide. Two jobs, both on the built HTML (Zensical builds the same pages, and ignores
MkDocs hooks, so this is a plain step after the build):

1. **Valid HTML.** The theme writes its drawer and search toggles as
   ``<input type="checkbox" ... autocomplete="off">``, which HTML does not allow on a checkbox,
   and on a page outside the navigation a label for a table-of-contents toggle the page does not
   have (the Nu Html Checker's only errors on the guide); they sit outside any theme block, so
   they are rewritten here, on every page.
2. **Tables that wrap on a phone.** Each cell of a table gets its column's heading as
   ``data-label``, so on a narrow screen the stylesheet shows every row as a block, each cell
   under its heading, instead of squeezing the columns until words break in the middle. No
   ARIA table roles are added to keep the table's meaning in such a browser: HTML does not
   allow them on a table's own parts (the Nu Html Checker refuses them), and today's browsers
   keep a table's roles whatever its CSS ``display``.
3. **The frame.** ``site/page-shell.md`` is built like any page, with markers for its title,
   description and content. Its HTML becomes ``templates/guide_page.html`` in the runtime
   package: the question pages, the confirmation and "check your complaint" are drawn by the
   API into the guide's own header, navigation, footer and styles, so they look and behave like
   the guide, and change with it. Links become absolute (the API's pages live at other paths),
   and the built page itself is removed from the site (and its sitemap).

The frame is committed (Lambda ships it); ``make site`` rewrites it when the guide changes, and
``tests/browser/test_builds.py`` fails when the committed one differs from a fresh build's.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sys
from pathlib import Path

SHELL_PAGE = "page-shell"
FRAME = (
    Path(__file__).resolve().parents[2] / "runtime" / "complaints" / "templates" / "guide_page.html"
)
TITLE, DESCRIPTION, CONTENT = "JOURNEYTITLE", "JOURNEYDESCRIPTION", "JOURNEYCONTENT"

_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')
_BODY = re.compile(
    r'<h1 id="journeytitle">JOURNEYTITLE</h1>\s*(?:<!--.*?-->\s*)?<p>JOURNEYCONTENT</p>',
    re.DOTALL,
)
_RELATIVE = re.compile(r'(\s(?:href|src)=")\.\.(/|")')
_LEFT_RELATIVE = re.compile(r'\s(?:href|src)="(?![/#]|https?:|mailto:|tel:|data:)')


class ShellError(RuntimeError):
    """The built page is not what the frame is made from (the theme changed its markup)."""


_LABEL_FOR = re.compile(r'(<label\b[^>]*?) for="([^"]+)"')


def valid_toggles(html: str) -> str:
    """The theme's checkbox toggles without ``autocomplete`` (not allowed on a checkbox), and
    its labels for a control the page does not have (the table of contents' title on a page
    outside the navigation) without their ``for``."""
    html = _TOGGLE.sub(r"\1", html)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return _LABEL_FOR.sub(lambda m: m.group(0) if m.group(2) in ids else m.group(1), html)


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL)
_HEAD_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.DOTALL)
_MARK = re.compile(r"<table\b")


def _plain(cell: str) -> str:
    from html import escape, unescape

    return escape(" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()), quote=True)


def stacked_table(table: str) -> str:
    """A table whose cells carry their column's heading (``data-label``), for a narrow screen
    that draws its rows as blocks. A table without a head row, or already done, is left as it
    is."""
    if "data-stacked" in table or "<thead" not in table:
        return table
    head, _, body = table.partition("</thead>")
    labels = [_plain(cell) for cell in _HEAD_CELL.findall(head)]

    def label_row(row: re.Match[str]) -> str:
        cells = iter(labels)
        return re.sub(
            r"<td\b",
            lambda _: f'<td data-label="{next(cells, "")}"',
            row.group(0),
        )

    table = head + "</thead>" + _ROW.sub(label_row, body)
    return _MARK.sub("<table data-stacked", table, count=1)


def finished_page(html: str) -> str:
    """A built page as it is published: valid toggles, tables that wrap on a phone."""
    return _TABLE.sub(lambda m: stacked_table(m.group(0)), valid_toggles(html))


def frame(built: str) -> str:
    """The Jinja2 template made from the built frame page: ``title``, ``description``, a
    ``head`` block and a ``content`` block; every other character as built (``raw``)."""
    html = valid_toggles(built)
    if not _BODY.search(html):
        raise ShellError("the built page-shell has no JOURNEYTITLE heading and content marker")
    html = _RELATIVE.sub(
        lambda m: f"{m.group(1)}{'/' if m.group(2) == '/' else '/' + m.group(2)}", html
    )
    html = html.replace('href="#journeytitle"', 'href="#main-content"')
    left = _LEFT_RELATIVE.findall(html)
    if left:
        raise ShellError(f"relative links left in the frame: {len(left)}")
    html = "\n".join(line.rstrip() for line in html.split("\n") if line.strip())
    raw = "{% raw %}" + html + "{% endraw %}"
    raw = _BODY.sub(lambda _: "{% endraw %}{% block content %}{% endblock %}{% raw %}", raw)
    raw = raw.replace("</head>", "{% endraw %}{% block head %}{% endblock %}{% raw %}</head>", 1)
    raw = raw.replace(TITLE, "{% endraw %}{{ title }}{% raw %}")
    raw = raw.replace(DESCRIPTION, "{% endraw %}{{ description }}{% raw %}")
    header = (
        "{#- Made by complaints_tools.pageshell from the built guide (site/page-shell.md): do not"
        " edit; `make site` writes it again. -#}\n"
    )
    return header + raw


def _drop_from_sitemap(site: Path) -> None:
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    text = re.sub(rf"\s*<url>\s*<loc>[^<]*/{SHELL_PAGE}/</loc>.*?</url>", "", text, flags=re.DOTALL)
    sitemap.write_text(text, encoding="utf-8")
    packed = site / "sitemap.xml.gz"
    if packed.is_file():
        packed.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def finish(site: Path, frame_file: Path | None = FRAME) -> str:
    """Finish every page (``finished_page``), make the frame (written to ``frame_file`` when it
    differs; ``None`` to leave it), remove the frame's page from ``site``; returns the frame."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = finished_page(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    built = site / SHELL_PAGE / "index.html"
    made = frame(built.read_text(encoding="utf-8"))
    shutil.rmtree(site / SHELL_PAGE)
    _drop_from_sitemap(site)
    if frame_file is not None and (
        not frame_file.is_file() or frame_file.read_text(encoding="utf-8") != made
    ):
        frame_file.write_text(made, encoding="utf-8")
        print(f"wrote {frame_file.name}: commit it (Lambda draws its pages in it)", file=sys.stderr)
    return made


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0]) if args else Path("build/site")
    try:
        finish(site)
    except (ShellError, FileNotFoundError) as error:
        print(f"complaints_tools.pageshell: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
