"""The annual report's figures as tables (for Markdown and CSV) and the charts drawn from them.

A ``Table`` keeps raw values; Markdown formats them for people, CSV keeps them for machines
(percentages as numbers, money in pounds).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from complaints.money import pounds, pounds_number
from complaints.service.reports.annual import AnnualReport
from complaints.service.reports.charts import Bar, Group, bar_chart
from complaints.service.reports.common import Count

Kind = Literal["text", "count", "percent", "days", "money"]
Cell = str | int | float | None
NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "count"


@dataclass(frozen=True)
class Table:
    slug: str  # the CSV file is ``<slug>.csv``
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def markdown(self) -> str:
        head = "| " + " | ".join(c.header for c in self.columns) + " |"
        rule = "|" + "|".join("---" if c.kind == "text" else "--:" for c in self.columns) + "|"
        lines = [head, rule]
        for row in self.rows:
            cells = (
                _md_cell(value, col.kind) for value, col in zip(row, self.columns, strict=True)
            )
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.header for c in self.columns])
        for row in self.rows:
            writer.writerow(
                _csv_cell(value, col.kind) for value, col in zip(row, self.columns, strict=True)
            )
        return out.getvalue()


def _md_cell(value: Cell, kind: Kind) -> str:
    if value is None:
        return NOT_APPLICABLE
    if kind == "count" and isinstance(value, int):
        return f"{value:,}"
    if kind == "percent" and isinstance(value, int | float):
        return f"{value:.1f}%"
    if kind == "days" and isinstance(value, int | float):
        return f"{value:.1f}" if isinstance(value, float) else str(value)
    if kind == "money" and isinstance(value, int):
        return pounds(value)
    return str(value).replace("|", "\\|")


def _csv_cell(value: Cell, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return pounds_number(value)
    return str(value)


def money(pence: int) -> str:
    """Exact pounds and pence (``complaints.money``), never through a float."""
    return pounds(pence)


def _counts(
    slug: str, title: str, label: str, rows: Sequence[Count], of: str = "% of complaints"
) -> Table:
    return Table(
        slug,
        title,
        (Column(label, "text"), Column("Number"), Column(of, "percent")),
        tuple((r.label, r.count, r.percent) for r in rows),
    )


def annual_tables(report: AnnualReport) -> dict[str, Table]:
    """Every table of the annual report, by slug, in page order."""
    stages = report.stages
    tables = [
        Table(
            "stages",
            "Complaints received and the stages they reached",
            (
                Column("Stage", "text"),
                Column("Complaints that reached it"),
                Column("% of complaints received", "percent"),
                Column("Responses given"),
            ),
            tuple(
                (f"Stage {s.number}: {s.name}", s.reached, s.reached_percent, s.responded)
                for s in stages
            ),
        ),
        _counts("months", "Complaints received each month", "Month", report.by_month),
        _counts(
            "procedures",
            "Every complaint received, by the procedure it was handled under",
            "Procedure",
            report.by_procedure,
            "% of all complaints",
        ),
        _counts("complainants", "Who complained", "Who complained", report.complainants),
        _counts(
            "complainants-detail",
            "Who complained, in detail",
            "Relationship to the child",
            report.complainants_detail,
        ),
        Table(
            "advocacy",
            "Advocacy",
            (Column("Measure", "text"), Column("Number")),
            (
                ("Complaints from children and young people", report.advocacy.from_children),
                (
                    "of which the child or young person had an advocate",
                    report.advocacy.from_children_with_advocate,
                ),
                ("Complaints where a child had an advocate", report.advocacy.had_advocate),
                (
                    "Complaints where someone asked for an advocate",
                    report.advocacy.asked_for_advocate,
                ),
            ),
        ),
        _counts("themes", "What complaints were about (themes)", "Theme", report.themes),
        Table(
            "outcomes",
            "Outcomes at each stage",
            (
                Column("Stage", "text"),
                Column("Outcome", "text"),
                Column("Number"),
                Column("% of responses at the stage", "percent"),
            ),
            tuple(
                (f"Stage {s.number}", o.label, o.count, o.percent)
                for s in stages
                for o in s.outcomes
            ),
        ),
        Table(
            "timeliness",
            "Timeliness of responses",
            (
                Column("Stage", "text"),
                Column("Responses"),
                Column("Within the timescale", "count"),
                Column("% within the timescale", "percent"),
                Column("% within the standard timescale", "percent"),
                Column("Average working days", "days"),
                Column("Longest (working days)", "days"),
            ),
            tuple(
                (
                    f"Stage {s.number}",
                    s.responded,
                    s.within_timescale,
                    s.within_timescale_percent,
                    s.within_standard_percent,
                    s.average_working_days,
                    s.longest_working_days,
                )
                for s in stages
            ),
        ),
        Table(
            "extensions-holds",
            "Extensions, holds and complaints still open",
            (
                Column("Stage", "text"),
                Column("Extended"),
                Column("Put on hold"),
                Column("Working days on hold"),
                Column("Still open"),
                Column("Still open, past the deadline"),
                Column("Ended without a response"),
            ),
            tuple(
                (
                    f"Stage {s.number}",
                    s.extended,
                    s.put_on_hold,
                    s.working_days_on_hold,
                    s.still_open,
                    s.still_open_past_deadline,
                    s.ended_without_response,
                )
                for s in stages
            ),
        ),
        Table(
            "escalation",
            "Escalation between stages",
            (
                Column("From", "text"),
                Column("To", "text"),
                Column("Complaints at the earlier stage"),
                Column("Went on to the next stage"),
                Column("Escalation rate", "percent"),
                Column("% of all complaints received", "percent"),
            ),
            tuple(
                (
                    f"Stage {e.from_stage}",
                    f"Stage {e.to_stage}",
                    e.reached_from,
                    e.escalated,
                    e.rate_percent,
                    e.share_of_received_percent,
                )
                for e in report.escalation
            ),
        ),
        Table(
            "requests",
            "Requests for the next stage",
            (
                Column("Stage asked for", "text"),
                Column("Requests"),
                Column("Late"),
                Column("Late, accepted"),
                Column("Late, refused"),
                Column("Late, awaiting a decision"),
            ),
            tuple(
                (
                    f"Stage {r.stage}",
                    r.requests,
                    r.late,
                    r.late_accepted,
                    r.late_refused,
                    r.awaiting_decision,
                )
                for r in report.requests
            ),
        ),
        Table(
            "recommendations",
            "Recommendations made at stages 2 and 3",
            (
                Column("Stage", "text"),
                Column("Made"),
                Column("Accepted"),
                Column("Rejected"),
                Column("Awaiting a response"),
                Column("Completed"),
                Column("Overdue"),
            ),
            tuple(
                (
                    f"Stage {r.stage}" if r.stage else "All stages",
                    r.made,
                    r.accepted,
                    r.rejected,
                    r.awaiting_response,
                    r.completed,
                    r.overdue,
                )
                for r in report.recommendations
            ),
        ),
        _counts(
            "ombudsman",
            "The Ombudsman's decisions",
            "Decision",
            report.ombudsman.findings,
            "% of Ombudsman enquiries",
        ),
        Table(
            "learning",
            "Learning and changes made",
            (
                Column("Measure", "text"),
                Column("Number"),
                Column("% of complaints answered", "percent"),
            ),
            (
                ("Complaints answered", report.learning.responded_complaints, None),
                (
                    "Complaints that led to corrective action",
                    report.learning.with_corrective_actions,
                    report.learning.with_corrective_actions_percent,
                ),
                (
                    "Complaints answered without corrective action",
                    report.learning.without_corrective_actions,
                    None,
                ),
                ("Corrective actions recorded", report.learning.corrective_actions, None),
            ),
        ),
        _counts(
            "learning-themes",
            "Themes of complaints that led to corrective action",
            "Theme",
            report.learning.themes_with_actions,
            "% of complaints with corrective action",
        ),
        Table(
            "compensation",
            "Compensation paid",
            (Column("Measure", "text"), Column("Value", "money")),
            (
                ("Total paid", report.compensation.total_pence),
                ("Largest single payment", report.compensation.largest_pence),
            ),
        ),
    ]
    return {t.slug: t for t in tables}


def _count_text(row: Count) -> str:
    return f"{row.count:,}" if row.percent is None else f"{row.count:,} ({row.percent:.1f}%)"


def annual_charts(report: AnnualReport) -> dict[str, str]:
    """The charts of the annual report (SVG), by the slug of the table they illustrate."""
    stages = report.stages
    prefix = f"chart-{report.label}"
    charts = {
        "stages": bar_chart(
            f"{prefix}-stages",
            f"Complaints that reached each stage, {report.label}",
            f"Of {report.received:,} complaints received, the number that reached each stage.",
            [
                Group(
                    "",
                    tuple(
                        Bar(
                            f"Stage {s.number}: {s.name}",
                            s.reached,
                            _count_text(
                                Count(key="", label="", count=s.reached, percent=s.reached_percent)
                            ),
                        )
                        for s in stages
                    ),
                )
            ],
        ),
        "months": bar_chart(
            f"{prefix}-months",
            f"Complaints received each month, {report.label}",
            "Complaints received in each month of the financial year.",
            [Group("", tuple(Bar(r.label, r.count, f"{r.count:,}") for r in report.by_month))],
        ),
        "complainants": bar_chart(
            f"{prefix}-complainants",
            f"Who complained, {report.label}",
            "Complaints by who made them, with the share of all complaints received.",
            [Group("", tuple(Bar(r.label, r.count, _count_text(r)) for r in report.complainants))],
        ),
        "themes": bar_chart(
            f"{prefix}-themes",
            f"What complaints were about, {report.label}",
            "Complaints by theme recorded at the response (a complaint can have more than one).",
            [Group("", tuple(Bar(r.label, r.count, _count_text(r)) for r in report.themes))],
        ),
        "outcomes": bar_chart(
            f"{prefix}-outcomes",
            f"Outcomes at each stage, {report.label}",
            "Responses at each stage by outcome, with the share of that stage's responses.",
            [
                Group(
                    f"Stage {s.number}: {s.responded:,} responses",
                    tuple(Bar(o.label, o.count, _count_text(o)) for o in s.outcomes),
                )
                for s in stages
            ],
            patterned=True,
        ),
        "timeliness": bar_chart(
            f"{prefix}-timeliness",
            f"Responses within the timescale, {report.label}",
            "Share of responses at each stage given within the timescale (with any agreed "
            "extension) and within the standard timescale (without one).",
            [
                Group(
                    f"Stage {s.number}: {s.responded:,} responses",
                    (
                        Bar(
                            "Within the timescale",
                            s.within_timescale_percent or 0.0,
                            _pct(s.within_timescale_percent),
                        ),
                        Bar(
                            "Within the standard timescale",
                            s.within_standard_percent or 0.0,
                            _pct(s.within_standard_percent),
                        ),
                    ),
                )
                for s in stages
            ],
            maximum=100.0,
            patterned=True,
        ),
    }
    return charts


def _pct(value: float | None) -> str:
    return "no responses" if value is None else f"{value:.1f}%"
