"""Complaints procedures as data (``data/procedures.yaml``), validated on load.

A stage's deadlines are computed here from the data and the working-day clock; no timescale
is written anywhere else in the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from complaints.clock import add_working_days
from complaints.datafiles import DataFileError, load_yaml_model

PROCEDURES_FILE = Path(__file__).parent / "data" / "procedures.yaml"

Outcome = Literal["upheld", "partly_upheld", "not_upheld", "resolved"]
PositiveDays = Annotated[int, Field(gt=0, le=365)]
START = "start"  # a milestone counting from the day the stage began
ACKNOWLEDGEMENT = "acknowledgement"  # ... or from the stage's acknowledgement


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Strict):
    working_days: PositiveDays
    citation: str = Field(min_length=3)


class TimeLimit(_Strict):
    months: Annotated[int, Field(gt=0, le=120)]
    citation: str = Field(min_length=3)
    discretion: str = ""


class HoldGround(_Strict):
    id: Literal["court_proceedings", "police_investigation", "other"]
    told: str = Field(min_length=10)  # the plain words the complainant is told


class HoldGrounds(_Strict):
    """What may stop the clock (reg 8), each with the words the complainant is told."""

    citation: str = Field(min_length=3)
    grounds: tuple[HoldGround, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> HoldGrounds:
        ids = [g.id for g in self.grounds]
        if len(ids) != len(set(ids)):
            raise ValueError(f"hold grounds must be unique; found {ids}")
        return self

    def told(self, ground: str) -> str:
        for found in self.grounds:
            if found.id == ground:
                return found.told
        raise KeyError(ground)


class Ombudsman(_Strict):
    name: str
    months: Annotated[int, Field(gt=0, le=120)]
    citation: str


class Milestone(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: str
    from_: str = Field(alias="from", pattern=r"^[a-z_]+$")
    working_days: PositiveDays
    extendable_to: PositiveDays | None = None
    citation: str = Field(min_length=3)
    extension_reasons: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _extension_is_longer(self) -> Milestone:
        if self.extendable_to is not None and self.extendable_to < self.working_days:
            raise ValueError(
                f"extendable_to ({self.extendable_to}) is shorter than working_days "
                f"({self.working_days}) for milestone '{self.id}'"
            )
        return self


class Stage(_Strict):
    number: Annotated[int, Field(ge=1, le=5)]
    name: str
    summary: str
    outcomes: tuple[Outcome, ...]
    roles: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = Field(min_length=1)
    acknowledge_within: Window | None = None  # None: the council's own promise (council.yaml)
    independent_of_previous_stage: bool = False  # nobody who handled the stage before
    request_next_within: Window | None = None
    skip_to_next_if_late: bool = False  # the complainant may ask for the next stage at once
    # when this stage misses its response deadline
    recommendations: bool = False  # the stage makes recommendations the council must answer

    @model_validator(mode="after")
    def _milestones_chain(self) -> Stage:
        seen = {START, ACKNOWLEDGEMENT}
        for milestone in self.milestones:
            if milestone.id in seen:
                raise ValueError(f"milestone '{milestone.id}' of stage {self.number} is repeated")
            if milestone.from_ not in seen:
                raise ValueError(
                    f"milestone '{milestone.id}' counts from '{milestone.from_}', which is not "
                    f"'start', 'acknowledgement' or an earlier milestone of stage {self.number}"
                )
            seen.add(milestone.id)
        if self.milestones[-1].id != "response":
            raise ValueError(f"the last milestone of stage {self.number} must be 'response'")
        return self

    @property
    def response(self) -> Milestone:
        """The milestone that ends the stage (the council's response)."""
        return self.milestones[-1]


class Procedure(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    jurisdiction: str
    legislation: str
    statutory: bool
    time_limit_to_complain: TimeLimit
    hold_grounds: HoldGrounds
    stages: tuple[Stage, ...] = Field(min_length=1)
    after_final_stage: Ombudsman

    @model_validator(mode="after")
    def _stages_numbered(self) -> Procedure:
        numbers = [s.number for s in self.stages]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"stages must be numbered 1, 2, 3... in order; found {numbers}")
        return self

    def stage(self, number: int) -> Stage:
        for stage in self.stages:
            if stage.number == number:
                return stage
        raise KeyError(f"procedure {self.id} has no stage {number}")

    @property
    def final_stage(self) -> int:
        return self.stages[-1].number


class ProceduresFile(_Strict):
    procedures: tuple[Procedure, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ProceduresFile:
        ids = [p.id for p in self.procedures]
        if len(ids) != len(set(ids)):
            raise ValueError(f"procedure ids must be unique; found {ids}")
        return self

    def by_id(self) -> Mapping[str, Procedure]:
        return {p.id: p for p in self.procedures}


@lru_cache(maxsize=4)
def load_procedures(path: Path = PROCEDURES_FILE) -> Mapping[str, Procedure]:
    """Load and validate the procedures file; a bad file raises ``DataFileError`` naming
    the field."""
    return load_yaml_model(path, ProceduresFile).by_id()


def get_procedure(procedure_id: str) -> Procedure:
    procedures = load_procedures()
    try:
        return procedures[procedure_id]
    except KeyError:
        raise KeyError(f"unknown procedure '{procedure_id}'") from None


@dataclass(frozen=True)
class MilestoneDeadline:
    id: str
    name: str
    due: date
    latest: date  # the furthest the deadline may be extended to (== due when not extendable)
    citation: str


def stage_deadlines(
    stage: Stage,
    start: date,
    *,
    actual: Mapping[str, date] | None = None,
    extended_to: Mapping[str, int] | None = None,
    acknowledge_by: date | None = None,
    acknowledged_on: date | None = None,
) -> dict[str, MilestoneDeadline]:
    """Every milestone deadline of ``stage`` begun on ``start``.

    ``actual`` gives the dates milestones really happened (e.g. the panel met early or late);
    later milestones count from those. Otherwise a milestone counts from the deadline of the
    one before it. ``extended_to`` gives an agreed extension in working days from the same
    point (never past ``extendable_to``). A milestone counting from the acknowledgement counts
    from ``acknowledged_on``, or from ``acknowledge_by`` when that is earlier or the stage is
    not acknowledged yet (a late acknowledgement never buys time).
    """
    actual = actual or {}
    extended_to = extended_to or {}
    acknowledged = acknowledge_by or start
    if acknowledged_on is not None:
        acknowledged = min(acknowledged_on, acknowledged)
    anchors: dict[str, date] = {START: start, ACKNOWLEDGEMENT: acknowledged}
    deadlines: dict[str, MilestoneDeadline] = {}
    for milestone in stage.milestones:
        base = anchors[milestone.from_]
        days = extended_to.get(milestone.id, milestone.working_days)
        maximum = milestone.extendable_to or milestone.working_days
        if days > maximum:
            raise ValueError(
                f"{milestone.name} can be extended to at most {maximum} working days "
                f"({milestone.citation}); {days} asked"
            )
        due = add_working_days(base, days)
        deadlines[milestone.id] = MilestoneDeadline(
            id=milestone.id,
            name=milestone.name,
            due=due,
            latest=add_working_days(base, maximum),
            citation=milestone.citation,
        )
        anchors[milestone.id] = actual.get(milestone.id, due)
    return deadlines


__all__ = [
    "ACKNOWLEDGEMENT",
    "START",
    "DataFileError",
    "MilestoneDeadline",
    "Procedure",
    "Stage",
    "get_procedure",
    "load_procedures",
    "stage_deadlines",
]
