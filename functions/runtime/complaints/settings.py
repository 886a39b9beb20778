"""Council settings (``data/council.yaml``), validated on load.

A council can point ``COMPLAINTS_COUNCIL_FILE`` at its own copy without changing code.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator

from complaints.datafiles import load_yaml_model

COUNCIL_FILE = Path(__file__).parent / "data" / "council.yaml"


_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _work_address(value: str) -> str:
    """One of the council's own addresses, as SES sends to it: plain ASCII, one @, a domain
    with a dot. (The council's file, not a person's answer: email-validator's full check, and
    its import on every function's first request, are kept for what people type.)"""
    if not _ADDRESS.match(value):
        raise ValueError(f"{value!r} is not an email address")
    return value


EmailStr = Annotated[str, AfterValidator(_work_address)]


# A file beside council.yaml (in ``data/``): folders and a name, never ``..``.
_DATA_FILE = r"^[A-Za-z0-9_][A-Za-z0-9_-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.txt$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FrontDoor(_Strict):
    name: str
    phone: str
    out_of_hours_phone: str
    hours: str


class Council(_Strict):
    name: str = Field(min_length=2)
    short_name: str = Field(min_length=2)
    website: HttpUrl
    children_services_front_door: FrontDoor


class ComplaintsTeam(_Strict):
    name: str
    email: EmailStr
    phone: str
    freephone_for_children: str | None = None
    postal_address: str
    text_number: str | None = None
    safeguarding_contact_email: EmailStr


class Team(_Strict):
    name: str
    email: EmailStr
    phone: str


class EscalationContact(_Strict):
    role: str
    email: EmailStr


class AdvocacyService(_Strict):
    name: str
    email: EmailStr
    phone: str
    website: HttpUrl


class OmbudsmanContact(_Strict):
    name: str
    website: HttpUrl
    phone: str


class ServiceArea(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: str
    procedure: str


class StaffConsole(_Strict):
    """How long a signed-in staff session lasts: idle, and at most (sign-out ends it)."""

    idle_minutes: Annotated[int, Field(ge=5, le=120)] = 30
    absolute_hours: Annotated[int, Field(ge=1, le=12)] = 8


class NotifySettings(_Strict):
    """GOV.UK Notify, when it is the sender. The system renders every email itself and sends it
    through one template whose subject is ``((subject))`` and body ``((body))``; the API key is
    in AWS Secrets Manager, never here."""

    email_template_id: UUID


Sender = Literal["ses", "notify"]


class CouncilSettings(_Strict):
    council: Council
    complaints_team: ComplaintsTeam
    corporate_complaints_team: Team
    escalation_contacts: tuple[EscalationContact, ...] = Field(min_length=1)
    advocacy_service: AdvocacyService
    ombudsman: OmbudsmanContact
    acknowledgement_working_days: Annotated[int, Field(ge=1, le=20)] = 3
    reminder_working_days_before_deadline: Annotated[int, Field(ge=0, le=10)] = 2
    hold_review_working_days: Annotated[int, Field(ge=1, le=120)] = 20
    retention_years_after_closure: Annotated[int, Field(ge=1, le=100)] = 6
    # Answers to the complaint form not yet sent (a draft) are deleted this many days after the
    # person last saved them; the "come back later" link in the email lasts as long.
    saved_answers_days: Annotated[int, Field(ge=1, le=90)] = 28
    # The largest payment staff can record in one go (``complaints.money``): a guard against
    # typos, not a policy on remedies.
    compensation_limit_pounds: Annotated[int, Field(ge=1, le=10_000_000)] = 100_000
    # Published reports show a count from 1 to this minus one as "fewer than N" (and hide
    # what would give it back); staff views and --json stay exact. At least 3: "fewer than 2"
    # would say the count is 1.
    small_number_threshold: Annotated[int, Field(ge=3, le=100)] = 5
    service_areas: tuple[ServiceArea, ...] = Field(min_length=1)
    staff_console: StaffConsole = StaffConsole()
    themes: tuple[str, ...] = Field(min_length=1)
    # Who sends the email: Amazon SES (``ses``) or GOV.UK Notify (``notify``, with ``notify``).
    sender: Sender = "ses"
    notify: NotifySettings | None = None
    # Tries at one email (or schedule) before the outbox gives up on it: then the case records
    # ``delivery_failed`` and the owner or team is told to reach the family another way.
    outbox_max_attempts: Annotated[int, Field(ge=2, le=50)] = 10
    # The stage response letter's draft, a file beside this one (``data/``) the council edits.
    response_letter_template: str = Field(
        default="letters/stage_response.txt",
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.txt$",
    )

    @model_validator(mode="after")
    def _notify_needs_its_template(self) -> CouncilSettings:
        if self.sender == "notify" and self.notify is None:
            raise ValueError("sender: notify needs notify: email_template_id (the one template)")
        return self

    @model_validator(mode="after")
    def _service_areas_name_real_procedures(self) -> CouncilSettings:
        from complaints.procedures import load_procedures

        known = set(load_procedures())
        for area in self.service_areas:
            if area.procedure not in known:
                raise ValueError(
                    f"service area '{area.id}' names procedure '{area.procedure}', "
                    f"which is not in procedures.yaml (known: {sorted(known)})"
                )
        return self

    def service_area(self, area_id: str) -> ServiceArea:
        for area in self.service_areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)


def _deployment_overrides(settings: CouncilSettings) -> CouncilSettings:
    """Stack parameters win over the packaged file for what differs per deployment:
    ``RETENTION_YEARS`` and ``ESCALATION_EMAIL`` (both optional; empty means the file)."""
    changes: dict[str, object] = {}
    retention = os.environ.get("RETENTION_YEARS", "").strip()
    if retention:
        changes["retention_years_after_closure"] = int(retention)
    escalation = os.environ.get("ESCALATION_EMAIL", "").strip()
    if escalation:
        changes["escalation_contacts"] = [
            {"role": "Escalation contact", "email": escalation},
            *(c.model_dump() for c in settings.escalation_contacts),
        ]
    if not changes:
        return settings
    return CouncilSettings.model_validate({**settings.model_dump(mode="json"), **changes})


@lru_cache(maxsize=4)
def load_settings(path: Path | None = None) -> CouncilSettings:
    """Load and validate the council settings; a bad file raises ``DataFileError``."""
    chosen = path or Path(os.environ.get("COMPLAINTS_COUNCIL_FILE", COUNCIL_FILE))
    return _deployment_overrides(load_yaml_model(chosen, CouncilSettings))
