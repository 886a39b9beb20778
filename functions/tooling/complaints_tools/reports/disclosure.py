"""What the published annual report may show (SI 2006/1738 reg 13; domain.md "Published
figures"): a count from 1 to 4 is shown as "fewer than 5" (``small_number_threshold`` in
``council.yaml``), and other counts are hidden ("not shown") wherever a total or a difference
would give one back (``suppression``).

Every count the page, its CSV files and its charts publish has a name here (``counts``), and
``lines`` says which of them add up (months to the year's total, outcomes to a stage's
responses, the rows of the recommendations table to its "All stages" row, ...). The same
figure published in two places has one name, so it is hidden in both or neither. A figure
worked out from counts (a percentage, an average) is a ``Fig`` with ``of``: it is hidden when
any count it comes from is. The ``--json`` output and the staff views never come here: they
stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from complaints.service.reports.annual import AnnualReport
from complaints.service.reports.common import COMPLAINANT_GROUPS, OMBUDSMAN_INVESTIGATED, Count
from complaints_tools.reports.suppression import Line, Suppression, suppress

NOT_SHOWN = "not shown"

# --- the names of the published counts --------------------------------------------------------

RECEIVED = "received"
RECEIVED_ALL = "received.all_procedures"
OTHER_PROCEDURES = "received.other_procedures"
URGENT = "urgent"
WITHDRAWN = "withdrawn"
DEMO = "demo"
ACK = "acknowledged"
ACK_IN_TIME = "acknowledged.in_time"
ADV_ASKED = "advocacy.asked"
ADV_HAD = "advocacy.had"
ADV_CHILDREN_WITH = "advocacy.children_with_advocate"
OMB = "ombudsman.enquiries"
OMB_INVESTIGATED = "ombudsman.investigated"
OMB_REMEDY = "ombudsman.with_remedy"
LEARN_ANSWERED = "learning.answered"
LEARN_WITH = "learning.with_actions"
LEARN_WITHOUT = "learning.without_actions"
LEARN_ACTIONS = "learning.actions"
PAID = "compensation.complaints"


def procedure(key: str) -> str:
    return f"procedure.{key}"


def month(key: str) -> str:
    return f"month.{key}"


def group(key: str) -> str:
    return f"who.{key}"


def relationship(key: str) -> str:
    return f"relationship.{key}"


def theme(key: str) -> str:
    return f"theme.{key}"


def learning_theme(key: str) -> str:
    return f"learning.theme.{key}"


def stage(number: int, what: str) -> str:
    """``what``: reached, responded, outcome.<id>, within, within_standard, extended,
    on_hold, still_open, still_open_late, ended."""
    return f"stage{number}.{what}"


def request(number: int, what: str) -> str:
    """``what``: all, late, accepted, refused, awaiting."""
    return f"request{number}.{what}"


def recommendations(number: int | None, what: str) -> str:
    """``what``: made, accepted, rejected, awaiting, completed, overdue; ``None``: every
    stage."""
    return f"recommendations.{'all' if number is None else number}.{what}"


def ombudsman(category: str) -> str:
    return f"ombudsman.{category}"


def decision(kind: str, what: str) -> str:
    """``what``: made, accepted, refused, waiting."""
    return f"decision.{kind}.{what}"


HELD = "holds.complaints"
DECISION_MEASURES = ("made", "accepted", "refused", "waiting")


REC_MEASURES = ("made", "accepted", "rejected", "awaiting", "completed", "overdue")


def _rows(prefix: str, rows: list[Count]) -> dict[str, int]:
    return {f"{prefix}.{row.key}": row.count for row in rows}


def counts_and_lines(report: AnnualReport) -> tuple[dict[str, int], list[Line[str]]]:
    """Every count the published report shows (or works a percentage out of), by name, and
    the lines that tie them together."""
    counts: dict[str, int] = {
        RECEIVED: report.received,
        RECEIVED_ALL: report.received_all_procedures,
        OTHER_PROCEDURES: report.received_all_procedures - report.received,
        URGENT: report.urgent,
        WITHDRAWN: report.withdrawn,
        DEMO: report.demo_complaints,
        ACK: report.acknowledgement.acknowledged,
        ACK_IN_TIME: report.acknowledgement.in_time,
        ADV_ASKED: report.advocacy.asked_for_advocate,
        ADV_HAD: report.advocacy.had_advocate,
        ADV_CHILDREN_WITH: report.advocacy.from_children_with_advocate,
        OMB: report.ombudsman.enquiries,
        OMB_INVESTIGATED: report.ombudsman.investigated,
        OMB_REMEDY: report.ombudsman.with_remedy,
        LEARN_ANSWERED: report.learning.responded_complaints,
        LEARN_WITH: report.learning.with_corrective_actions,
        LEARN_WITHOUT: report.learning.without_corrective_actions,
        LEARN_ACTIONS: report.learning.corrective_actions,
        PAID: report.compensation.complaints_with_payment,
    }
    lines: list[Line[str]] = []

    def breakdown(prefix: str, rows: list[Count], total: str | None) -> list[str]:
        found = _rows(prefix, rows)
        counts.update(found)
        if total is not None:
            lines.append(Line(total, tuple(found)))
        return list(found)

    # Every complaint received, by procedure: this procedure's row is the year's total.
    procedures = breakdown("procedure", report.by_procedure, RECEIVED_ALL)
    mine = procedure(report.procedure)
    lines.append(Line(RECEIVED, (mine,)))
    lines.append(Line(OTHER_PROCEDURES, tuple(p for p in procedures if p != mine)))
    lines.append(Line(RECEIVED_ALL, (RECEIVED, OTHER_PROCEDURES)))
    breakdown("month", report.by_month, RECEIVED)
    breakdown("who", report.complainants, RECEIVED)
    breakdown("relationship", report.complainants_detail, RECEIVED)
    for who in dict.fromkeys(COMPLAINANT_GROUPS.values()):
        members = tuple(relationship(r.value) for r, g in COMPLAINANT_GROUPS.items() if g == who)
        if group(who) in counts:
            lines.append(Line(group(who), tuple(m for m in members if m in counts)))
    breakdown("theme", report.themes, None)  # a complaint can have several themes
    breakdown("learning.theme", report.learning.themes_with_actions, None)
    lines.append(Line(LEARN_ANSWERED, (LEARN_WITH, LEARN_WITHOUT)))

    for figures in report.stages:
        n = figures.number
        counts.update(
            {
                stage(n, "reached"): figures.reached,
                stage(n, "responded"): figures.responded,
                stage(n, "within"): figures.within_timescale,
                stage(n, "within_standard"): figures.within_standard,
                stage(n, "extended"): figures.extended,
                stage(n, "on_hold"): figures.put_on_hold,
                stage(n, "still_open"): figures.still_open,
                stage(n, "still_open_late"): figures.still_open_past_deadline,
                stage(n, "ended"): figures.ended_without_response,
            }
        )
        breakdown(f"stage{n}.outcome", figures.outcomes, stage(n, "responded"))
        lines.append(
            Line(
                stage(n, "reached"),
                (stage(n, "responded"), stage(n, "still_open"), stage(n, "ended")),
            )
        )
    if report.stages:
        lines.append(Line(RECEIVED, (stage(report.stages[0].number, "reached"),)))

    for asked in report.requests:
        n = asked.stage
        counts.update(
            {
                request(n, "all"): asked.requests,
                request(n, "late"): asked.late,
                request(n, "accepted"): asked.late_accepted,
                request(n, "refused"): asked.late_refused,
                request(n, "awaiting"): asked.awaiting_decision,
            }
        )
        late = (request(n, "accepted"), request(n, "refused"), request(n, "awaiting"))
        lines.append(Line(request(n, "late"), late))

    by_stage = [r.stage for r in report.recommendations if r.stage is not None]
    for recs in report.recommendations:
        values = (
            recs.made,
            recs.accepted,
            recs.rejected,
            recs.awaiting_response,
            recs.completed,
            recs.overdue,
        )
        for measure, value in zip(REC_MEASURES, values, strict=True):
            counts[recommendations(recs.stage, measure)] = value
        answered = tuple(recommendations(recs.stage, m) for m in REC_MEASURES[1:4])
        lines.append(Line(recommendations(recs.stage, "made"), answered))
    if any(r.stage is None for r in report.recommendations):
        for measure in REC_MEASURES:
            parts = tuple(recommendations(n, measure) for n in by_stage)
            lines.append(Line(recommendations(None, measure), parts))

    for row in report.decisions:
        decided = (row.made, row.accepted, row.refused, row.waiting)
        for measure, value in zip(DECISION_MEASURES, decided, strict=True):
            counts[decision(row.kind, measure)] = value
        made = decision(row.kind, "made")
        lines.append(Line(made, (decision(row.kind, "accepted"), decision(row.kind, "refused"))))
    counts[HELD] = report.holds.complaints_held
    breakdown("holds", report.holds.by_grounds, None)  # holds, not complaints: one may have two

    breakdown("ombudsman", report.ombudsman.findings, OMB)
    investigated = tuple(ombudsman(c) for c in sorted(OMBUDSMAN_INVESTIGATED))
    lines.append(Line(OMB_INVESTIGATED, tuple(k for k in investigated if k in counts)))
    return counts, lines


@dataclass(frozen=True)
class Fig:
    """A number on the published page: a count (``key``), or a figure worked out from counts
    (``of``: a percentage, an average), hidden whenever one of them is."""

    value: int | float | None
    key: str | None = None
    of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    """The published report's counts, which of them are hidden, and how each is shown."""

    counts: dict[str, int]
    suppression: Suppression[str]
    threshold: int

    @cached_property
    def small_label(self) -> str:
        return f"fewer than {self.threshold}"

    def hidden(self, fig: Fig) -> bool:
        names = ((fig.key,) if fig.key else ()) + fig.of
        for name in names:
            if name not in self.counts:
                raise KeyError(f"the published report names a count it does not know: {name}")
        return any(self.suppression.hidden(name) for name in names)

    def label(self, fig: Fig) -> str | None:
        """What is shown instead of ``fig``, or ``None`` when it is shown."""
        if not self.hidden(fig):
            return None
        if fig.key is not None and fig.key in self.suppression.primary:
            return self.small_label
        return NOT_SHOWN

    def count(self, key: str, *, starts_sentence: bool = False) -> str:
        """A count as words on the page: ``1,234``, ``fewer than 5`` or ``not shown``
        (``Fewer than 5`` at the start of a sentence)."""
        fig = Fig(self.counts[key], key=key)
        words = self.label(fig) or f"{self.counts[key]:,}"
        return words[:1].upper() + words[1:] if starts_sentence else words


def disclosure(report: AnnualReport, threshold: int | None = None) -> Disclosure:
    """Which of the report's published counts are hidden (threshold: the council's)."""
    if threshold is None:
        from complaints.settings import load_settings

        threshold = load_settings().small_number_threshold
    counts, lines = counts_and_lines(report)
    return Disclosure(counts, suppress(counts, lines, threshold), threshold)
