"""Pieces shared by the reports: a labelled count, percentages, who-complained groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from complaints.submission import Relationship


class Figure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Count(Figure):
    """One row of a breakdown: ``count`` of ``total`` (``percent`` rounded to 1 place)."""

    key: str
    label: str
    count: int
    percent: float | None = None


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal place; ``None`` when ``whole`` is 0."""
    if whole == 0:
        return None
    return round(100 * part / whole, 1)


def breakdown(
    keys: Iterable[str],
    labels: Mapping[str, str],
    total: int,
    *,
    keep_order: bool = True,
) -> list[Count]:
    """Count ``keys``; one row per label (zeros included, in ``labels`` order when
    ``keep_order``, else largest first), then any key without a label."""
    counts = Counter(keys)
    order = list(labels) + sorted(k for k in counts if k not in labels)
    rows = [
        Count(key=k, label=labels.get(k, k), count=counts[k], percent=percent(counts[k], total))
        for k in order
    ]
    if not keep_order:
        rows.sort(key=lambda row: (-row.count, row.label))
    return rows


# Who complained, as councils publish it. Care leavers are young people (up to 25); special
# guardians hold parental responsibility; adoption and "sufficient interest" are "someone else".
COMPLAINANT_GROUPS: Mapping[Relationship, str] = {
    Relationship.CHILD_OR_YOUNG_PERSON: "child",
    Relationship.CARE_LEAVER: "child",
    Relationship.PARENT: "parent",
    Relationship.PARENTAL_RESPONSIBILITY: "parent",
    Relationship.SPECIAL_GUARDIAN: "parent",
    Relationship.FOSTER_CARER: "foster_carer",
    Relationship.ADVOCATE: "advocate",
    Relationship.ADOPTION: "other",
    Relationship.OTHER: "other",
}

GROUP_LABELS: Mapping[str, str] = {
    "child": "Child or young person (including care leavers)",
    "parent": "Parent, special guardian or someone with parental responsibility",
    "foster_carer": "Foster carer",
    "advocate": "Advocate for a child or young person",
    "other": "Someone else (including adoption)",
}

RELATIONSHIP_LABELS: Mapping[str, str] = {
    Relationship.CHILD_OR_YOUNG_PERSON: "Child or young person",
    Relationship.CARE_LEAVER: "Care leaver",
    Relationship.PARENT: "Parent",
    Relationship.PARENTAL_RESPONSIBILITY: "Someone else with parental responsibility",
    Relationship.SPECIAL_GUARDIAN: "Special guardian",
    Relationship.FOSTER_CARER: "Foster carer",
    Relationship.ADVOCATE: "Advocate",
    Relationship.ADOPTION: "Affected by an adoption",
    Relationship.OTHER: "Someone else with sufficient interest",
}

OUTCOME_LABELS: Mapping[str, str] = {
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "resolved": "Resolved",
}


def theme_label(theme: str) -> str:
    """``care_planning`` -> ``Care planning``."""
    return theme.replace("_", " ").capitalize()


# Ombudsman decisions as staff record them (``OmbudsmanReferral.outcome``, free text). Only
# these categories are published: anything else counts as "other", so no free text staff
# typed ever reaches a published report.
OMBUDSMAN_OUTCOME_LABELS: Mapping[str, str] = {
    "awaiting": "Awaiting the Ombudsman's decision",
    "referred_back": "Referred back to the council (procedure not finished)",
    "not_investigated": "Not investigated",
    "closed_after_initial_enquiries": "Closed after initial enquiries",
    "no_fault": "Investigated: no fault found",
    "fault_found": "Investigated: fault found",
    "other": "Other decision",
}
OMBUDSMAN_INVESTIGATED = frozenset({"no_fault", "fault_found"})
_OMBUDSMAN_SYNONYMS: Mapping[str, str] = {
    "premature": "referred_back",
    "referred_back_for_local_resolution": "referred_back",
    "not_upheld": "no_fault",
    "no_fault_found": "no_fault",
    "upheld": "fault_found",
    "fault": "fault_found",
    "fault_and_injustice": "fault_found",
    "fault_no_injustice": "fault_found",
    "closed": "closed_after_initial_enquiries",
}


def ombudsman_category(outcome: str | None) -> str:
    """The published category of a recorded Ombudsman outcome."""
    if outcome is None or not outcome.strip():
        return "awaiting"
    key = "_".join(outcome.lower().replace("-", " ").replace(":", " ").split())
    key = _OMBUDSMAN_SYNONYMS.get(key, key)
    return key if key in OMBUDSMAN_OUTCOME_LABELS else "other"


CHANNEL_LABELS: Mapping[str, str] = {
    "online": "Online (the complaint form)",
    "phone": "Phone",
    "letter": "Letter",
    "email": "Email",
    "in_person": "In person",
    "advocate": "Through an advocate",
    "councillor_or_mp": "Through a councillor or MP",
}
