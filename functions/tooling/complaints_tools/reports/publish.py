"""The annual report as a page of the guide: Markdown with inline SVG charts, CSV files, JSON.

``write_annual`` writes ``<out>/annual-<label>/``: ``index.md`` (the page), one ``.csv`` per
table, one ``.svg`` per chart and ``report.json`` (the same tables, for machines). Everything
written is publishable: counts from 1 to 4 are "fewer than 5", and counts that would give one
back are "not shown" (``disclosure``). The exact figures are for staff: ``--json``.

With ``out`` = the guide's ``site/reports`` the next ``mkdocs build`` publishes it at
``/reports/annual-<label>/``; the page ``site/reports/index.md`` lists every report through
the ``reports-list.md`` snippet that ``reports_list_snippet`` writes before the build.

No personal data reaches any output: only counts, shares and working days (and, only when
asked for, the learning statements staff wrote for publication, quoted as plain text by
``quoted.inert_markdown``: no link, image, HTML or extension syntax in them survives).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from complaints.dates import long_date
from complaints.procedures import Procedure, get_procedure
from complaints.service.reports.annual import AnnualReport
from complaints_tools.reports import disclosure as names
from complaints_tools.reports.disclosure import Disclosure, Fig, disclosure
from complaints_tools.reports.quoted import inert_markdown
from complaints_tools.reports.tables import Table, annual_charts, annual_tables, money

PAGE_PREFIX = "annual-"
LIST_SNIPPET = "reports-list.md"


def years_in_words(label: str) -> str:
    """``2025-26`` -> ``2025 to 2026`` (GOV.UK style for a financial year)."""
    first = int(label[:4])
    return f"{first} to {first + 1}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def _shown_pct(shown: Disclosure, value: float | None, *of: str) -> str:
    """A percentage worked out from counts, or the words shown instead of it."""
    return shown.label(Fig(value, of=of)) or _pct(value)


def _shown_days(shown: Disclosure, value: float | None, of: str) -> str:
    label = shown.label(Fig(value, of=(of,)))
    return label or ("n/a" if value is None else f"{value}")


def _timescales(procedure: Procedure) -> list[str]:
    """Each stage's timescale, from the procedure data."""
    lines = []
    for stage in procedure.stages:
        steps = []
        for milestone in stage.milestones:
            extra = (
                f" (up to {milestone.extendable_to} if extended)" if milestone.extendable_to else ""
            )
            steps.append(f"{milestone.name.lower()}: {milestone.working_days} working days{extra}")
        lines.append(f"- Stage {stage.number}, {stage.name.lower()}: " + "; ".join(steps) + ".")
    return lines


def _figure(svg: str, table: Table) -> str:
    return (
        '<figure class="report-figure">\n'
        f"{svg}\n"
        f"<figcaption>Chart: {html.escape(table.title)}. "
        "The table below gives the same figures.</figcaption>\n"
        "</figure>\n"
    )


def _table_block(table: Table, folder: str | None, shown: Disclosure) -> str:
    link = f"\n[Download: {table.title} (CSV)]({table.slug}.csv)\n" if folder else ""
    return f"{table.markdown(shown)}{link}"


def annual_markdown(
    report: AnnualReport, *, with_downloads: bool = True, shown: Disclosure | None = None
) -> str:
    """The publishable page. ``with_downloads`` links the CSV files written beside it;
    ``shown``: what may be published (default: the council's threshold)."""
    shown = shown or disclosure(report)
    n = names
    count = shown.count

    def starting(key: str) -> str:  # a count at the start of a sentence
        return shown.count(key, starts_sentence=True)

    tables = annual_tables(report)
    charts = annual_charts(report, shown)
    folder = f"{PAGE_PREFIX}{report.label}" if with_downloads else None
    procedure = get_procedure(report.procedure)
    years = years_in_words(report.label)
    stage1 = report.stages[0]
    s2 = next((e for e in report.escalation if e.to_stage == 2), None)
    children = next((c for c in report.complainants if c.key == "child"), None)
    out: list[str] = []

    def section(title: str, *paragraphs: str, slugs: tuple[str, ...] = ()) -> None:
        out.append(f"## {title}\n")
        out.extend(p.rstrip("\n") + "\n" for p in paragraphs if p)
        for slug in slugs:
            if slug in charts:
                out.append(_figure(charts[slug], tables[slug]))
            out.append(_table_block(tables[slug], folder, shown))

    out.append(f"# Complaints about children's social care: annual report {years}\n")
    if report.demo_complaints:
        out.append(
            '!!! warning "Demonstration data"\n'
            f"    {starting(n.DEMO)} of the complaints in this report are synthetic, "
            "made by `complaints demo seed` to show what the report looks like. "
            "They are not real complaints.\n"
        )
    out.append(
        f"{report.council} publishes this report every year, as regulation 13 of the Children "
        "Act 1989 Representations Procedure (England) Regulations 2006 asks. It covers the "
        f"{count(n.RECEIVED)} complaints received between {long_date(report.period_start)} and "
        f"{long_date(report.period_end)} under the {report.procedure_name.lower()}, and what "
        f"had happened to them by {long_date(report.as_of)}.\n"
    )
    if not report.year_complete:
        out.append("The year is not over yet: these are the figures for the year so far.\n")
    out.append("It contains no personal information: only numbers, shares and working days.\n")

    child = n.group("child")
    s1 = stage1.number
    to_stage_2 = (
        _shown_pct(shown, s2.share_of_received_percent, n.stage(2, "reached"), n.RECEIVED)
        if s2
        else "n/a"
    )
    acted_on = _shown_pct(
        shown, report.learning.with_corrective_actions_percent, n.LEARN_WITH, n.LEARN_ANSWERED
    )
    children_share = ""
    if children and not shown.hidden(Fig(children.percent, of=(child, n.RECEIVED))):
        children_share = f" ({_pct(children.percent)})"
    summary = [
        f"- **{count(n.RECEIVED)}** complaints received"
        + (
            f"; **{count(child)}**{children_share} from children or young people, "
            f"{count(n.ADV_CHILDREN_WITH)} of whom had an advocate"
            if children
            else ""
        )
        + ".",
        f"- **{to_stage_2}** of complaints went on to stage 2"
        + "".join(
            f", {count(n.stage(e.to_stage, 'reached'))} to stage {e.to_stage}"
            for e in report.escalation
            if e.to_stage > 2
        )
        + ".",
        "- **"
        + _shown_pct(
            shown, stage1.within_timescale_percent, n.stage(s1, "within"), n.stage(s1, "responded")
        )
        + "** of stage 1 responses were within the timescale; on average they took "
        + _shown_days(shown, stage1.average_working_days, n.stage(s1, "responded"))
        + " working days.",
        f"- **{count(n.LEARN_WITH)}** complaints led to corrective action "
        f"({acted_on} of those answered).",
        f"- **{count(n.recommendations(None, 'made'))}** recommendations made at stages 2 and "
        f"3: {count(n.recommendations(None, 'accepted'))} accepted, "
        f"{count(n.recommendations(None, 'completed'))} completed, "
        f"{count(n.recommendations(None, 'overdue'))} overdue.",
        f"- **{count(n.OMB)}** complaints went to the Ombudsman, which investigated "
        f"{count(n.OMB_INVESTIGATED)}.",
        f"- **{money(report.compensation.total_pence)}** compensation paid in "
        f"{count(n.PAID)} complaints.",
    ]
    section("Summary", "\n".join(summary))

    section(
        "Complaints received and the stages they reached",
        "Stage 1 is local resolution by the team that provides the service; stage 2 is an "
        "investigation with an independent person; stage 3 is a review panel of three "
        "independent people.",
        slugs=("stages",),
    )
    section("When complaints arrived", slugs=("months",))
    section(
        "Who complained",
        "Children and young people have a right to an advocate to help them complain (Children "
        "Act 1989 s26A). A complaint made by an advocate counts as one where the child had an "
        "advocate.",
        slugs=("complainants", "complainants-detail", "advocacy"),
    )
    section(
        "What complaints were about",
        "Staff record one or more themes when they respond to a complaint.",
        slugs=("themes",),
    )
    section(
        "Complaints handled under other procedures",
        f"{starting(n.OTHER_PROCEDURES)} other complaints received in the year were about services "
        "outside this procedure (for example education or special educational needs) and went "
        "to the council's corporate complaints procedure."
        + (
            f" {starting(n.URGENT)} complaints raised a concern for a child's safety and were "
            "passed to the children's services front door at once."
            if report.urgent
            else ""
        ),
        slugs=("procedures",),
    )
    section(
        "Outcomes at each stage",
        "A complaint is upheld when the council agrees it was right, partly upheld when it was "
        "right in part, and not upheld when the council found no fault. At stage 1 a complaint "
        "can also be resolved: put right without a finding.",
        slugs=("outcomes",),
    )
    ack = report.acknowledgement
    section(
        "Timeliness",
        f"The council promises to acknowledge a complaint within {ack.promise_working_days} "
        f"working days. It acknowledged {count(n.ACK)} complaints, "
        f"{_shown_pct(shown, ack.in_time_percent, n.ACK_IN_TIME, n.ACK)} of them within that "
        "time.",
        "The timescales, from the regulations:\n\n" + "\n".join(_timescales(procedure)) + "\n",
        "Working days taken count from the start of the stage to the response, leaving out the "
        "days the clock was stopped while the complaint was on hold (for example during court "
        "proceedings or a police investigation). *Within the timescale* includes any extension "
        "agreed for a complex complaint; *within the standard timescale* does not.",
        "A complaint can end without a response at a stage when it is withdrawn, or when the "
        "complainant goes on to the next stage because the council missed its deadline. "
        f"{starting(n.WITHDRAWN)} complaints were withdrawn.",
        slugs=("timeliness", "extensions-holds"),
    )
    section(
        "Escalation between stages",
        "The escalation rate is the share of complaints at one stage that went on to the next. "
        "A request for the next stage made after the time allowed is never refused "
        "automatically: staff decide whether to accept it, and record why.",
        slugs=("escalation", "requests"),
    )
    section(
        "Decisions and holds",
        "Before it looks at some complaints the council has to decide something, in writing and "
        "with reasons: whether to look at a complaint made more than a year after the matter, "
        "whether someone outside the groups who can always complain has a real interest in the "
        "child's welfare, and whether to go on while court proceedings or a police "
        f"investigation run. {starting(n.HELD)} complaints were put on hold: their clock "
        "stopped until the other process allowed the council to go on.",
        slugs=("decisions", "holds"),
    )
    section(
        "Recommendations",
        "Investigations and review panels make recommendations. The council must answer each "
        "one, and tracks every accepted recommendation until it is done.",
        slugs=("recommendations",),
    )
    section(
        "The Ombudsman",
        f"{starting(n.OMB)} complainants took their complaint to the "
        f"{procedure.after_final_stage.name}. It investigated {count(n.OMB_INVESTIGATED)} "
        f"of them and asked for a remedy in {count(n.OMB_REMEDY)}.",
        slugs=("ombudsman",),
    )
    # Staff's own words: plain text on the page, never Markdown or HTML (``quoted``).
    statements = "".join(f"- {inert_markdown(text)}\n" for text in report.learning.statements)
    section(
        "Learning and changes made",
        "When a complaint shows something should change, staff record the corrective action "
        "and what was learned.",
        ("Examples of what was learned:\n\n" + statements) if statements else "",
        slugs=("learning", "learning-themes"),
    )
    section(
        "Compensation",
        f"{money(report.compensation.total_pence)} was paid in "
        f"{count(n.PAID)} complaints, as a remedy when the council had got something wrong.",
        slugs=("compensation",),
    )
    section(
        "About these figures",
        "- The report counts complaints by the date they were received. A complaint that "
        "reached stage 2 after the end of the year still counts in the year it arrived.\n"
        "- Working days leave out weekends, Christmas Day, Boxing Day, Good Friday and bank "
        "holidays in England and Wales.\n"
        "- Percentages are rounded to one decimal place, so they may not add up to 100.\n"
        "- *n/a* means there was nothing to count (for example, no responses at a stage).\n"
        f"- So that no child or family can be identified, a number from 1 to "
        f"{shown.threshold - 1} is shown as *{shown.small_label}*, and a few other numbers are "
        "*not shown*, so that a hidden number cannot be worked out from a total or a "
        "difference. Percentages and averages worked out from a hidden number are not shown "
        "either.",
    )
    if with_downloads:
        out.append("[All annual reports](../index.md)\n")
    return "\n".join(out)


def published_json(report: AnnualReport, shown: Disclosure) -> dict[str, object]:
    """The published tables as JSON: the CSV files' content, hidden counts as their words."""
    return {
        "report": f"Complaints about children's social care: annual report {report.label}",
        "council": report.council,
        "procedure": report.procedure,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "as_of": report.as_of.isoformat(),
        "small_number_threshold": shown.threshold,
        "tables": {
            slug: {"title": table.title, "rows": table.records(shown)}
            for slug, table in annual_tables(report).items()
        },
    }


def write_annual(
    report: AnnualReport, out_dir: Path, shown: Disclosure | None = None
) -> list[Path]:
    """Write the page, CSV tables, SVG charts and the tables as JSON under
    ``out_dir/annual-<label>/``: all of it publishable (``shown``; default: the council's
    threshold)."""
    shown = shown or disclosure(report)
    folder = out_dir / f"{PAGE_PREFIX}{report.label}"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    page = folder / "index.md"
    page.write_text(annual_markdown(report, shown=shown), encoding="utf-8")
    written.append(page)
    for slug, table in annual_tables(report).items():
        path = folder / f"{slug}.csv"
        path.write_text(table.csv(shown), encoding="utf-8")
        written.append(path)
    for slug, svg in annual_charts(report, shown).items():
        path = folder / f"{slug}.svg"
        path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n", encoding="utf-8")
        written.append(path)
    data = folder / "report.json"
    data.write_text(json.dumps(published_json(report, shown), indent=2) + "\n", encoding="utf-8")
    written.append(data)
    return written


_FOLDER = re.compile(rf"^{PAGE_PREFIX}(\d{{4}})-\d{{2}}$")


def reports_list_snippet(reports_dir: Path) -> str:
    """A Markdown list of the annual reports published under ``reports_dir``, newest first."""
    found = sorted(
        (p.parent.name for p in reports_dir.glob(f"{PAGE_PREFIX}*/index.md")),
        reverse=True,
    )
    items = [
        f"- [Annual report {years_in_words(name[len(PAGE_PREFIX) :])}]({name}/index.md)"
        for name in found
        if _FOLDER.match(name)
    ]
    if not items:
        return "No annual report has been published here yet.\n"
    return "\n".join(items) + "\n"
