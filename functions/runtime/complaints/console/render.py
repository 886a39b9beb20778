"""The console's pages: Jinja2, autoescaped, with GOV.UK Frontend's macros from
``govuk-frontend-jinja`` (imported as ``govuk_frontend_jinja/components/...``) and MoJ
Frontend's components written from its documented markup (``templates/staff/``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from complaints.templating import TEMPLATES


@cache
def environment() -> Any:
    from pathlib import Path

    import govuk_frontend_jinja
    import jinja2

    macros = Path(govuk_frontend_jinja.__file__).parent / "templates"
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(TEMPLATES / "staff"),
                jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.FileSystemLoader(macros)}),
            ]
        ),
        autoescape=True,
        undefined=jinja2.ChainableUndefined,  # the macros test params that are not given
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(name: str, **context: Any) -> str:
    from complaints.settings import load_settings

    settings = load_settings()
    context.setdefault("council_name", settings.council.name)
    context.setdefault("staff", None)
    context.setdefault("csrf", "")
    context.setdefault("nav", "")
    staff = context["staff"]
    if "allowed" not in context:
        from complaints.service.lifecycle.table import StaffAction
        from complaints.service.staff.permissions import may

        context["allowed"] = {a.value for a in StaffAction if staff is not None and may(staff, a)}
    return str(environment().get_template(name).render(**context))
