"""Jinja2 templates (``complaints/templates``): emails and the API's few HTML pages.

HTML templates are autoescaped, so nothing a person typed can become markup; text templates
(``.txt``) are not escaped (they are never shown as HTML).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Any:
    import jinja2  # lazy: only the paths that render need it

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **context: Any) -> str:
    return str(environment().get_template(name).render(**context))
