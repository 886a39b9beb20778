"""``python -m complaints_tools.staff_assets NODE_MODULES OUT``: the staff console's static
assets, built from GOV.UK Frontend and MoJ Frontend (npm, exact versions in the Makefile).

The console is a council service, not GOV.UK: no crown, no GOV.UK logotype and no GDS
Transport font (they are for GOV.UK only). So the packages' compiled stylesheets are taken as
they are, with three changes made here, and checked after:

- every ``font-family`` naming GDS Transport becomes the system font stack, and the
  ``@font-face`` rules that load GDS Transport are dropped (no font file is copied);
- ``/assets/`` becomes ``/staff/assets/`` (the images MoJ Frontend's components use, copied);
- source map comments are dropped (the maps are not published).

The scripts (ES modules, no build step) only enhance: ``staff.js`` marks the page as
supported and starts the components (sortable tables, the filter toggle). Every page works
without them. ``OUT`` is ``build/site/staff/assets/``: the site bucket serves it at
``/staff/assets/`` (CloudFront), the local server from the built site.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

SYSTEM_FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'
GDS_FONT_FAMILY = re.compile(r"font-family:\s*\"?GDS Transport\"?\s*(,[^;}]*)?")
GDS_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*GDS Transport[^}]*\}")
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S+")
ASSET_URL = re.compile(r"url\(\s*[\"']?/assets/images/([A-Za-z0-9_.-]+)[\"']?\s*\)")

GOVUK_CSS = "govuk-frontend/dist/govuk/govuk-frontend.min.css"
GOVUK_JS = "govuk-frontend/dist/govuk/govuk-frontend.min.js"
MOJ_CSS = "@ministryofjustice/frontend/moj/moj-frontend.min.css"
MOJ_JS = "@ministryofjustice/frontend/moj/moj-frontend.min.js"
MOJ_IMAGES = "@ministryofjustice/frontend/moj/assets/images"

# Small additions of the console's own (no colours of its own: the GOV.UK palette).
OWN_CSS = """
.staff-header__council{font-weight:700;font-size:1.5rem}
.staff-nowrap{white-space:nowrap}
.staff-late{font-weight:700}
.staff-full-width{width:100%}
.staff-table-wrap{overflow-x:auto;position:relative}
.staff-table-wrap:focus{outline:3px solid #ffdd00;outline-offset:0}
.staff-pre-line{white-space:pre-line}
.govuk-radios__item:has(>.govuk-radios__input:not(:checked))+.staff-reveal:not(.staff-reveal--shown){display:none}
.staff-chart__bars{width:35%;min-width:6rem}
.staff-bar{display:block;height:1.25rem;background:#1d70b8;min-width:2px}
.staff-bar--0{min-width:0}
.staff-letter{border:1px solid #b1b4b6;padding:15px;margin:0 0 30px;background:#fff;color:#0b0c0c}
.staff-letter .letterhead{display:flex;flex-wrap:wrap;justify-content:space-between;gap:10px}
.staff-letter .letterhead{border-bottom:2px solid #0b0c0c;margin-bottom:20px}
.staff-letter .council{font-weight:700;font-size:1.25rem}
.staff-letter .from{text-align:right}
.staff-letter .draft{border:3px solid #d4351c;color:#d4351c;font-weight:700;padding:5px}
.staff-letter .subject{font-weight:700}
.staff-letter p{margin:0 0 15px}
"""
# The reports' bars: a class per whole percentage (the CSP allows no inline style).
OWN_CSS += "".join(f".staff-bar--{n}{{width:{n}%}}" for n in range(101)) + "\n"

STAFF_JS = """// Enhancements only: every page works without this file.
import { initAll as initGovuk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
"""


class AssetError(RuntimeError):
    """The packages are missing, or a rewrite left something it should have removed."""


def rewrite_css(css: str) -> tuple[str, set[str]]:
    """The stylesheet without GDS Transport or source maps, with image URLs under
    ``/staff/assets/images/``; and the image file names it uses."""
    css = GDS_FONT_FACE.sub("", css)
    css = GDS_FONT_FAMILY.sub(f"font-family:{SYSTEM_FONTS}", css)
    css = SOURCE_MAP.sub("", css)
    images = set(ASSET_URL.findall(css))
    css = ASSET_URL.sub(lambda m: f"url(/staff/assets/images/{m.group(1)})", css)
    if "GDS Transport" in css or "/assets/fonts/" in css:
        raise AssetError("a GDS Transport font is still referenced after the rewrite")
    return css, images


def build(node_modules: Path, out: Path) -> list[Path]:
    """Write ``staff.css``, the scripts and the images the stylesheet uses into ``out``."""
    missing = [
        p for p in (GOVUK_CSS, GOVUK_JS, MOJ_CSS, MOJ_JS) if not (node_modules / p).is_file()
    ]
    if missing:
        raise AssetError(f"not installed (run `make install`): {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    sheets = [(node_modules / p).read_text(encoding="utf-8") for p in (GOVUK_CSS, MOJ_CSS)]
    css, images = rewrite_css("\n".join(sheets))
    written = [out / "staff.css"]
    written[0].write_text(css + OWN_CSS, encoding="utf-8")
    for source, name in ((GOVUK_JS, "govuk-frontend.min.js"), (MOJ_JS, "moj-frontend.min.js")):
        target = out / name
        target.write_text(
            SOURCE_MAP.sub("", (node_modules / source).read_text(encoding="utf-8")),
            encoding="utf-8",
        )
        written.append(target)
    (out / "staff.js").write_text(STAFF_JS, encoding="utf-8")
    written.append(out / "staff.js")
    (out / "images").mkdir(exist_ok=True)
    for name in sorted(images):
        found = node_modules / MOJ_IMAGES / name  # never GOV.UK's crest or logotype
        if found.is_file():
            shutil.copyfile(found, out / "images" / name)
            written.append(out / "images" / name)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m complaints_tools.staff_assets NODE_MODULES OUT", file=sys.stderr)
        return 2
    try:
        build(Path(args[0]), Path(args[1]))
    except AssetError as error:
        print(f"staff assets: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
