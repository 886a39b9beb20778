"""Generate the guide's snippets from the procedure data and the council settings.

Run before ``mkdocs build`` (``make site`` does it). Pages include the output with
``pymdownx.snippets`` (``--8<-- "stage-1.md"``), so the guide can never promise a timescale
the backend does not enforce, and the council's name and contacts are typed in one place
(``council.yaml``). Plain snippets, not a MkDocs hook or plugin, so the site also builds with
Zensical.

The wording of each generated passage is a Jinja2 template in ``templates/guide/``; the
complaint form is ``templates/complaint_form.html`` (see ``complaints.webform``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from complaints.procedures import (
    ACKNOWLEDGEMENT,
    START,
    Milestone,
    Procedure,
    Stage,
    load_procedures,
)
from complaints.settings import CouncilSettings, load_settings
from complaints_tools.reports.publish import LIST_SNIPPET, reports_list_snippet

SNIPPETS_DIR = Path("build/snippets")
REPORTS_DIR = Path("site/reports")  # annual reports published by `complaints report annual`
GUIDE_TEMPLATES = Path(__file__).parent / "templates" / "guide"


def working_days(n: int) -> str:
    """``10`` -> ``10 working days``."""
    return f"{n} working day" if n == 1 else f"{n} working days"


def roughly_weeks(n: int) -> str:
    """Working days as weeks, for children: ``10`` -> ``about 2 weeks``."""
    weeks = round(n / 5)
    if weeks <= 1:
        return "about a week"
    return f"about {weeks} weeks"


def months(n: int) -> str:
    if n == 12:
        return "12 months (a year)"
    return f"{n} month" if n == 1 else f"{n} months"


def phone_link(number: str) -> str:
    """A Markdown ``tel:`` link that shows the number as written."""
    digits = re.sub(r"[^0-9+]", "", number)
    return f"[{number}](tel:{digits})"


def email_link(address: str) -> str:
    return f"[{address}](mailto:{address})"


def milestone(stage: Stage, milestone_id: str) -> Milestone:
    for item in stage.milestones:
        if item.id == milestone_id:
            return item
    raise KeyError(f"stage {stage.number} has no milestone '{milestone_id}'")


def _timescales_table(procedure: Procedure) -> str:
    rows = ["| Step | How long the council has | Rule |", "|---|---|---|"]
    for stage in procedure.stages:
        if stage.acknowledge_within:
            rows.append(
                f"| Stage {stage.number}: acknowledgement "
                f"| {working_days(stage.acknowledge_within.working_days)} "
                f"| {stage.acknowledge_within.citation} |"
            )
        for item in stage.milestones:
            what = "complaint" if stage.number == 1 else "request"
            start = {
                START: f"the day it gets your {what}",
                ACKNOWLEDGEMENT: f"the day it acknowledges your {what}",
            }.get(item.from_, "the step before")
            extension = (
                f" (up to {working_days(item.extendable_to)} if it needs longer)"
                if item.extendable_to
                else ""
            )
            rows.append(
                f"| Stage {stage.number}: {item.name} "
                f"| {working_days(item.working_days)} from {start}{extension} "
                f"| {item.citation} |"
            )
        if stage.request_next_within:
            rows.append(
                f"| You ask for stage {stage.number + 1} "
                f"| You have {working_days(stage.request_next_within.working_days)} after the "
                f"stage {stage.number} reply "
                f"| {stage.request_next_within.citation} |"
            )
    return "\n".join(rows) + "\n"


def guide_context(settings: CouncilSettings, procedures: Mapping[str, Procedure]) -> dict[str, Any]:
    """What the guide's templates may use: the council settings and the procedures."""
    statutory = next(p for p in procedures.values() if p.statutory)
    other_ids = dict.fromkeys(
        a.procedure for a in settings.service_areas if not procedures[a.procedure].statutory
    )
    other = [procedures[i] for i in other_ids]
    return {
        "settings": settings,
        "council": settings.council,
        "front_door": settings.council.children_services_front_door,
        "team": settings.complaints_team,
        "corporate_team": settings.corporate_complaints_team,
        "advocacy": settings.advocacy_service,
        "ombudsman": settings.ombudsman,
        "procedure": statutory,
        "stage": {s.number: s for s in statutory.stages},
        "corporate": other[0] if other else None,
        "ack_days": settings.acknowledgement_working_days,
        "retention_years": settings.retention_years_after_closure,
    }


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(GUIDE_TEMPLATES),
        # The output is Markdown, not HTML, and every value comes from our own data files.
        autoescape=False,  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        days=working_days,
        weeks=roughly_weeks,
        months=months,
        tel=phone_link,
        mailto=email_link,
        milestone=milestone,
        url=lambda value: str(value).rstrip("/"),
    )
    return env


def snippets(
    settings: CouncilSettings, procedures: Mapping[str, Procedure] | None = None
) -> dict[str, str]:
    """Every generated snippet, by file name."""
    procedures = procedures if procedures is not None else load_procedures()
    env = _environment()
    context = guide_context(settings, procedures)
    files: dict[str, str] = {}
    for name in sorted(env.list_templates(filter_func=lambda n: n.endswith(".md"))):
        files[name] = env.get_template(name).render(context)
    for procedure in procedures.values():
        files[f"timescales-{procedure.id}.md"] = _timescales_table(procedure)
    return files


def write_snippets(directory: Path = SNIPPETS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    files = snippets(load_settings())
    files[LIST_SNIPPET] = reports_list_snippet(REPORTS_DIR)
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> int:
    written = write_snippets()
    print(f"wrote {len(written)} snippets to {SNIPPETS_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
