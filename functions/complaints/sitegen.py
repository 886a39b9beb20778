"""Generate the guide's Markdown snippets from the procedure data and council settings.

Run before ``mkdocs build`` (``make site`` does it). Pages include the output with
``pymdownx.snippets`` (``--8<-- "timescales-children-act-1989.md"``), so the guide can never
promise a timescale the backend does not enforce. Plain snippets, not a MkDocs hook, so the
site also builds with Zensical.
"""

from __future__ import annotations

import sys
from pathlib import Path

from complaints.procedures import Procedure, load_procedures
from complaints.service.reports.publish import LIST_SNIPPET, reports_list_snippet
from complaints.settings import CouncilSettings, load_settings

SNIPPETS_DIR = Path("build/snippets")
REPORTS_DIR = Path("site/reports")  # annual reports published by `complaints report annual`


def _timescales_table(procedure: Procedure) -> str:
    rows = ["| Step | How long the council has | Rule |", "|---|---|---|"]
    for stage in procedure.stages:
        for milestone in stage.milestones:
            start = "the start of the stage" if milestone.from_ == "start" else "the step before"
            extension = (
                f", or up to {milestone.extendable_to} if it is complex"
                if milestone.extendable_to
                else ""
            )
            rows.append(
                f"| Stage {stage.number}: {milestone.name} "
                f"| {milestone.working_days} working days from {start}{extension} "
                f"| {milestone.citation} |"
            )
        if stage.request_next_within:
            rows.append(
                f"| Asking for stage {stage.number + 1} "
                f"| {stage.request_next_within.working_days} working days after the "
                f"stage {stage.number} response "
                f"| {stage.request_next_within.citation} |"
            )
    return "\n".join(rows) + "\n"


def snippets(settings: CouncilSettings) -> dict[str, str]:
    """Every generated snippet, by file name."""
    files: dict[str, str] = {
        "council-name.md": settings.council.name,
        "complaints-team.md": (
            f"**{settings.complaints_team.name}**  \n"
            f"Email: [{settings.complaints_team.email}](mailto:{settings.complaints_team.email})"
            f"  \nPhone: {settings.complaints_team.phone}\n"
        ),
    }
    for procedure in load_procedures().values():
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
