"""The annual report's figures as tables (for Markdown and CSV) and the charts drawn from them.

A ``Table`` keeps raw values; Markdown formats them for people, CSV keeps them for machines
(percentages as numbers, money in pounds). Every count and every figure worked out from counts
is a ``Fig`` naming them (``disclosure``), so the published page, its CSV files and its charts
show "fewer than 5" (or "not shown") exactly where ``disclosure`` says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from complaints.money import pounds, pounds_number
from complaints.service.reports.annual import AnnualReport
from complaints.service.reports.common import Count
from complaints_tools.reports import disclosure as names
from complaints_tools.reports.charts import Bar, Group, bar_chart
from complaints_tools.reports.disclosure import Disclosure, Fig

Kind = Literal["text", "count", "percent", "days", "money"]
Cell = str | int | float | None | Fig
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

    def markdown(self, shown: Disclosure | None) -> str:
        """The table in Markdown; ``shown``: what may be published (``None``: exact)."""
        head = "| " + " | ".join(c.header for c in self.columns) + " |"
        rule = "|" + "|".join("---" if c.kind == "text" else "--:" for c in self.columns) + "|"
        lines = [head, rule]
        for row in self.rows:
            cells = (
                _md_cell(value, col.kind, shown)
                for value, col in zip(row, self.columns, strict=True)
            )
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def csv(self, shown: Disclosure | None) -> str:
        """The table as CSV; ``shown``: what may be published (``None``: exact)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.header for c in self.columns])
        for row in self.rows:
            writer.writerow(
                _csv_cell(value, col.kind, shown)
                for value, col in zip(row, self.columns, strict=True)
            )
        return out.getvalue()

    def records(self, shown: Disclosure) -> list[dict[str, str | int | float | None]]:
        """The rows as published, for JSON: numbers as numbers, a hidden one as its words."""
        found = []
        for row in self.rows:
            record: dict[str, str | int | float | None] = {}
            for value, column in zip(row, self.columns, strict=True):
                label, raw = _hidden(value, shown)
                if column.kind == "money" and isinstance(raw, int):
                    raw = float(pounds_number(raw)) if label is None else raw
                record[column.header] = label if label is not None else raw
            found.append(record)
        return found


def _hidden(cell: Cell, shown: Disclosure | None) -> tuple[str | None, str | int | float | None]:
    """What to show instead of ``cell`` (or ``None``), and its raw value."""
    if isinstance(cell, Fig):
        return (shown.label(cell) if shown else None), cell.value
    return None, cell


def _md_cell(cell: Cell, kind: Kind, shown: Disclosure | None) -> str:
    label, value = _hidden(cell, shown)
    if label is not None:
        return label
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


def _csv_cell(cell: Cell, kind: Kind, shown: Disclosure | None) -> str:
    label, value = _hidden(cell, shown)
    if label is not None:
        return label
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return pounds_number(value)
    return str(value)


def money(pence: int) -> str:
    """Exact pounds and pence (``complaints.money``), never through a float."""
    return pounds(pence)


def _counts(
    slug: str,
    title: str,
    label: str,
    rows: Sequence[Count],
    prefix: str,
    total: str,
    of: str = "% of complaints",
) -> Table:
    """One row per ``Count``: its label, the count (``<prefix>.<key>``) and its share of
    ``total``."""
    return Table(
        slug,
        title,
        (Column(label, "text"), Column("Number"), Column(of, "percent")),
        tuple(
            (
                r.label,
                Fig(r.count, key=f"{prefix}.{r.key}"),
                Fig(r.percent, of=(f"{prefix}.{r.key}", total)),
            )
            for r in rows
        ),
    )


def _count(value: int, key: str) -> Fig:
    return Fig(value, key=key)


def _worked_out(value: int | float | None, *of: str) -> Fig:
    return Fig(value, of=of)


def annual_tables(report: AnnualReport) -> dict[str, Table]:
    """Every table of the annual report, by slug, in page order."""
    stages = report.stages
    n = names
    received = n.RECEIVED

    def stage(number: int, what: str) -> str:
        return n.stage(number, what)

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
                (
                    f"Stage {s.number}: {s.name}",
                    _count(s.reached, stage(s.number, "reached")),
                    _worked_out(s.reached_percent, stage(s.number, "reached"), received),
                    _count(s.responded, stage(s.number, "responded")),
                )
                for s in stages
            ),
        ),
        _counts(
            "months", "Complaints received each month", "Month", report.by_month, "month", received
        ),
        _counts(
            "procedures",
            "Every complaint received, by the procedure it was handled under",
            "Procedure",
            report.by_procedure,
            "procedure",
            n.RECEIVED_ALL,
            "% of all complaints",
        ),
        _counts(
            "complainants", "Who complained", "Who complained", report.complainants, "who", received
        ),
        _counts(
            "complainants-detail",
            "Who complained, in detail",
            "Relationship to the child",
            report.complainants_detail,
            "relationship",
            received,
        ),
        Table(
            "advocacy",
            "Advocacy",
            (Column("Measure", "text"), Column("Number")),
            (
                (
                    "Complaints from children and young people",
                    _count(report.advocacy.from_children, n.group("child")),
                ),
                (
                    "of which the child or young person had an advocate",
                    _count(report.advocacy.from_children_with_advocate, n.ADV_CHILDREN_WITH),
                ),
                (
                    "Complaints where a child had an advocate",
                    _count(report.advocacy.had_advocate, n.ADV_HAD),
                ),
                (
                    "Complaints where someone asked for an advocate",
                    _count(report.advocacy.asked_for_advocate, n.ADV_ASKED),
                ),
            ),
        ),
        _counts(
            "themes",
            "What complaints were about (themes)",
            "Theme",
            report.themes,
            "theme",
            received,
        ),
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
                (
                    f"Stage {s.number}",
                    o.label,
                    _count(o.count, stage(s.number, f"outcome.{o.key}")),
                    _worked_out(
                        o.percent,
                        stage(s.number, f"outcome.{o.key}"),
                        stage(s.number, "responded"),
                    ),
                )
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
                    _count(s.responded, stage(s.number, "responded")),
                    _count(s.within_timescale, stage(s.number, "within")),
                    _worked_out(
                        s.within_timescale_percent,
                        stage(s.number, "within"),
                        stage(s.number, "responded"),
                    ),
                    _worked_out(
                        s.within_standard_percent,
                        stage(s.number, "within_standard"),
                        stage(s.number, "responded"),
                    ),
                    _worked_out(s.average_working_days, stage(s.number, "responded")),
                    _worked_out(s.longest_working_days, stage(s.number, "responded")),
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
                    _count(s.extended, stage(s.number, "extended")),
                    _count(s.put_on_hold, stage(s.number, "on_hold")),
                    _worked_out(s.working_days_on_hold, stage(s.number, "on_hold")),
                    _count(s.still_open, stage(s.number, "still_open")),
                    _count(s.still_open_past_deadline, stage(s.number, "still_open_late")),
                    _count(s.ended_without_response, stage(s.number, "ended")),
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
                    _count(e.reached_from, stage(e.from_stage, "reached")),
                    _count(e.escalated, stage(e.to_stage, "reached")),
                    _worked_out(
                        e.rate_percent,
                        stage(e.to_stage, "reached"),
                        stage(e.from_stage, "reached"),
                    ),
                    _worked_out(
                        e.share_of_received_percent, stage(e.to_stage, "reached"), received
                    ),
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
                    _count(r.requests, n.request(r.stage, "all")),
                    _count(r.late, n.request(r.stage, "late")),
                    _count(r.late_accepted, n.request(r.stage, "accepted")),
                    _count(r.late_refused, n.request(r.stage, "refused")),
                    _count(r.awaiting_decision, n.request(r.stage, "awaiting")),
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
                    *(
                        _count(value, n.recommendations(r.stage, measure))
                        for measure, value in zip(
                            n.REC_MEASURES,
                            (
                                r.made,
                                r.accepted,
                                r.rejected,
                                r.awaiting_response,
                                r.completed,
                                r.overdue,
                            ),
                            strict=True,
                        )
                    ),
                )
                for r in report.recommendations
            ),
        ),
        Table(
            "decisions",
            "Decisions the regulations require",
            (
                Column("Decision", "text"),
                Column("Made"),
                Column("Accepted (or went on)"),
                Column("Refused (or put on hold)"),
                Column("Still to decide"),
            ),
            tuple(
                (
                    row.label,
                    *(
                        _count(value, n.decision(row.kind, measure))
                        for measure, value in zip(
                            n.DECISION_MEASURES,
                            (row.made, row.accepted, row.refused, row.waiting),
                            strict=True,
                        )
                    ),
                )
                for row in report.decisions
            ),
        ),
        Table(
            "holds",
            "Complaints put on hold, by what was running",
            (Column("What was running", "text"), Column("Holds")),
            tuple(
                (row.label, Fig(row.count, key=f"holds.{row.key}"))
                for row in report.holds.by_grounds
            ),
        ),
        _counts(
            "ombudsman",
            "The Ombudsman's decisions",
            "Decision",
            report.ombudsman.findings,
            "ombudsman",
            n.OMB,
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
                (
                    "Complaints answered",
                    _count(report.learning.responded_complaints, n.LEARN_ANSWERED),
                    None,
                ),
                (
                    "Complaints that led to corrective action",
                    _count(report.learning.with_corrective_actions, n.LEARN_WITH),
                    _worked_out(
                        report.learning.with_corrective_actions_percent,
                        n.LEARN_WITH,
                        n.LEARN_ANSWERED,
                    ),
                ),
                (
                    "Complaints answered without corrective action",
                    _count(report.learning.without_corrective_actions, n.LEARN_WITHOUT),
                    None,
                ),
                (
                    "Corrective actions recorded",
                    _count(report.learning.corrective_actions, n.LEARN_ACTIONS),
                    None,
                ),
            ),
        ),
        _counts(
            "learning-themes",
            "Themes of complaints that led to corrective action",
            "Theme",
            report.learning.themes_with_actions,
            "learning.theme",
            n.LEARN_WITH,
            "% of complaints with corrective action",
        ),
        Table(
            "compensation",
            "Compensation paid",
            (Column("Measure", "text"), Column("Value", "money")),
            (
                ("Total paid", report.compensation.total_pence),
                # one payment's amount: with a hidden number of payments, it could tell
                # whether there was only one
                (
                    "Largest single payment",
                    _worked_out(report.compensation.largest_pence, n.PAID),
                ),
            ),
        ),
    ]
    return {t.slug: t for t in tables}


def _bar(label: str, count: Fig, share: Fig | None, shown: Disclosure) -> Bar:
    """A bar for a count with its share: no bar and the words instead when the count is
    hidden (its length would give the count back)."""
    hidden = shown.label(count)
    if hidden is not None:
        return Bar(label, 0, hidden)
    value = count.value or 0
    text = f"{value:,}"
    if share is not None and share.value is not None and shown.label(share) is None:
        text += f" ({share.value:.1f}%)"
    return Bar(label, value, text)


def _share_bar(label: str, share: Fig, shown: Disclosure) -> Bar:
    hidden = shown.label(share)
    if hidden is not None:
        return Bar(label, 0.0, hidden)
    value = share.value
    if value is None:
        return Bar(label, 0.0, "no responses")
    return Bar(label, value, f"{value:.1f}%")


def _rows_chart(
    rows: Sequence[Count], prefix: str, total: str, shown: Disclosure
) -> tuple[Bar, ...]:
    return tuple(
        _bar(
            r.label,
            Fig(r.count, key=f"{prefix}.{r.key}"),
            Fig(r.percent, of=(f"{prefix}.{r.key}", total)),
            shown,
        )
        for r in rows
    )


def annual_charts(report: AnnualReport, shown: Disclosure) -> dict[str, str]:
    """The charts of the annual report (SVG), by the slug of the table they illustrate, showing
    what ``shown`` allows (a hidden count has no bar, only its words)."""
    stages = report.stages
    prefix = f"chart-{report.label}"
    n = names

    def responses(number: int) -> str:
        return f"Stage {number}: {shown.count(n.stage(number, 'responded'))} responses"

    charts = {
        "stages": bar_chart(
            f"{prefix}-stages",
            f"Complaints that reached each stage, {report.label}",
            f"Of {shown.count(n.RECEIVED)} complaints received, the number that reached each "
            "stage.",
            [
                Group(
                    "",
                    tuple(
                        _bar(
                            f"Stage {s.number}: {s.name}",
                            Fig(s.reached, key=n.stage(s.number, "reached")),
                            Fig(s.reached_percent, of=(n.stage(s.number, "reached"), n.RECEIVED)),
                            shown,
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
            [
                Group(
                    "",
                    tuple(
                        _bar(r.label, Fig(r.count, key=n.month(r.key)), None, shown)
                        for r in report.by_month
                    ),
                )
            ],
        ),
        "complainants": bar_chart(
            f"{prefix}-complainants",
            f"Who complained, {report.label}",
            "Complaints by who made them, with the share of all complaints received.",
            [Group("", _rows_chart(report.complainants, "who", n.RECEIVED, shown))],
        ),
        "themes": bar_chart(
            f"{prefix}-themes",
            f"What complaints were about, {report.label}",
            "Complaints by theme recorded at the response (a complaint can have more than one).",
            [Group("", _rows_chart(report.themes, "theme", n.RECEIVED, shown))],
        ),
        "outcomes": bar_chart(
            f"{prefix}-outcomes",
            f"Outcomes at each stage, {report.label}",
            "Responses at each stage by outcome, with the share of that stage's responses.",
            [
                Group(
                    responses(s.number),
                    _rows_chart(
                        s.outcomes,
                        f"stage{s.number}.outcome",
                        n.stage(s.number, "responded"),
                        shown,
                    ),
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
                    responses(s.number),
                    (
                        _share_bar(
                            "Within the timescale",
                            Fig(
                                s.within_timescale_percent,
                                of=(n.stage(s.number, "within"), n.stage(s.number, "responded")),
                            ),
                            shown,
                        ),
                        _share_bar(
                            "Within the standard timescale",
                            Fig(
                                s.within_standard_percent,
                                of=(
                                    n.stage(s.number, "within_standard"),
                                    n.stage(s.number, "responded"),
                                ),
                            ),
                            shown,
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
