"""What a person sends when they make a complaint, and plain-English errors for it.

Messages follow the GOV.UK Design System's error-message style: say what to do, in words a
parent or a child understands ("Enter your email address in the correct format, like
name@example.com"), never a technical message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from complaints.text import plain_text

MAX_NAME = 200
MAX_DETAILS = 50_000
MAX_OUTCOME = 10_000
MAX_PHONE = 40
MAX_CONNECTION = 500


class Relationship(StrEnum):
    """How the person making the complaint is connected to the child (s26(3), reg 2)."""

    CHILD_OR_YOUNG_PERSON = "child_or_young_person"
    PARENT = "parent"
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    FOSTER_CARER = "foster_carer"
    CARE_LEAVER = "care_leaver"
    SPECIAL_GUARDIAN = "special_guardian"
    ADOPTION = "adoption"
    ADVOCATE = "advocate"
    OTHER = "other"


RELATIONSHIP_LABELS: Mapping[Relationship, str] = {
    Relationship.CHILD_OR_YOUNG_PERSON: "I am the child or young person",
    Relationship.PARENT: "Parent",
    Relationship.PARENTAL_RESPONSIBILITY: "Someone else with parental responsibility",
    Relationship.FOSTER_CARER: "Foster carer",
    Relationship.CARE_LEAVER: "Care leaver",
    Relationship.SPECIAL_GUARDIAN: "Special guardian",
    Relationship.ADOPTION: "Affected by an adoption (adopted person, adoptive or birth family)",
    Relationship.ADVOCATE: "Advocate acting for a child or young person",
    Relationship.OTHER: "Someone else who cares about the child's welfare",
}


def clean_text(value: Any) -> Any:
    """``complaints.text.plain_text`` for a field: NFC, no control characters except new lines
    and tabs, no format characters (e.g. right-to-left overrides, zero-width joiners) or lone
    surrogates, trimmed. Anything not a string is returned as it is, for the field's own type
    check to refuse."""
    if not isinstance(value, str):
        return value
    return plain_text(value)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _date_as_text(value: Any) -> Any:
    """A date of birth is sent as text (YYYY-MM-DD): a JSON number would otherwise be read as
    seconds since 1970, silently giving the child a birthday in 1970."""
    if isinstance(value, int | float):
        raise PydanticCustomError("date_not_text", "a date is written as text")
    return value


def _whole_number(value: Any) -> Any:
    """A month or a year: digits, or a JSON whole number; never true/false or a fraction."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise PydanticCustomError("not_a_number", "a whole number is needed")
    if isinstance(value, str) and value.strip() and not value.strip().isdigit():
        raise PydanticCustomError("not_a_number", "a whole number is needed")
    return value


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


CleanText = Annotated[str, BeforeValidator(clean_text)]
OneLine = Annotated[str, BeforeValidator(clean_text), AfterValidator(_one_line)]
Optional = BeforeValidator(_empty_to_none)


class Submission(BaseModel):
    """A complaint as sent by the form or the JSON API (fields in ``interfaces.md``)."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=False)

    complainant_name: Annotated[OneLine, Field(min_length=1, max_length=MAX_NAME)]
    email: Annotated[OneLine, Field(min_length=1, max_length=320)]
    relationship: Relationship
    child_name: Annotated[Annotated[OneLine, Field(max_length=MAX_NAME)] | None, Optional] = None
    details: Annotated[CleanText, Field(min_length=1, max_length=MAX_DETAILS)]

    submission_id: Annotated[UUID | None, Optional] = None
    phone: Annotated[Annotated[OneLine, Field(max_length=MAX_PHONE)] | None, Optional] = None
    outcome_sought: Annotated[
        Annotated[CleanText, Field(max_length=MAX_OUTCOME)] | None, Optional
    ] = None
    wants_advocate: Annotated[Literal["yes", "no"] | None, Optional] = None
    child_in_danger: Annotated[Literal["yes", "no"] | None, Optional] = None
    child_date_of_birth: Annotated[date | None, Optional, BeforeValidator(_date_as_text)] = None
    service_area: Annotated[Annotated[OneLine, Field(max_length=60)] | None, Optional] = None
    website: Annotated[str | None, Optional] = None  # honeypot: people never see it
    # When the matter happened (month and year, both optional): a complaint more than 12
    # months later waits for the council's decision whether to consider it (reg 9(2)).
    happened_month: Annotated[
        Annotated[int, Field(ge=1, le=12)] | None, Optional, BeforeValidator(_whole_number)
    ] = None
    happened_year: Annotated[
        Annotated[int, Field(ge=1900, le=9999)] | None, Optional, BeforeValidator(_whole_number)
    ] = None
    # Relationship "other": how they are connected to the child (the sufficient-interest
    # decision, s26(3)(e), takes it into account).
    connection: Annotated[Annotated[OneLine, Field(max_length=MAX_CONNECTION)] | None, Optional] = (
        None
    )

    @field_validator("email")
    @classmethod
    def _real_email(cls, value: str | None) -> str | None:
        if value is None:  # only a complaint staff record may have no email (``Recorded``)
            return None
        from email_validator import EmailNotValidError, validate_email

        try:
            address = validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValueError("not an email address") from None
        if address.ascii_email is None:
            # Email (SES) needs plain ASCII before the @; a non-ASCII domain is fine: the
            # mailer sends to its Punycode form.
            raise PydanticCustomError("email_not_ascii", "not ASCII before the @")
        return address.normalized

    @field_validator("phone")
    @classmethod
    def _phone_digits(cls, value: str | None) -> str | None:
        if value is None:
            return None
        allowed = set("0123456789+ ()-")
        if not set(value) <= allowed or sum(ch.isdigit() for ch in value) < 7:
            raise ValueError("not a phone number")
        return value

    @field_validator("child_date_of_birth")
    @classmethod
    def _born_in_the_past(cls, value: date | None) -> date | None:
        from complaints.clock import london_today

        if value is not None and value > london_today():
            raise ValueError("in the future")
        if value is not None and value.year < 1900:
            raise ValueError("too long ago")
        return value

    @field_validator("service_area")
    @classmethod
    def _known_service_area(cls, value: str | None) -> str | None:
        from complaints.settings import load_settings

        if value is not None and value not in {a.id for a in load_settings().service_areas}:
            raise ValueError("unknown service area")
        return value

    @model_validator(mode="after")
    def _child_name_unless_the_child(self) -> Submission:
        if self.child_name is None and self.relationship is not Relationship.CHILD_OR_YOUNG_PERSON:
            raise ValueError("child_name missing")
        return self

    @model_validator(mode="after")
    def _when_it_happened(self) -> Submission:
        from complaints.clock import london_today

        month, year = self.happened_month, self.happened_year
        if month is not None and year is None:
            raise PydanticCustomError("happened_no_year", "happened_year: missing")
        if year is not None and month is None:
            raise PydanticCustomError("happened_no_month", "happened_month: missing")
        if month is not None and year is not None:
            today = london_today()
            if (year, month) > (today.year, today.month):
                raise PydanticCustomError("happened_future", "happened_month: in the future")
        return self

    @property
    def happened_in(self) -> str | None:
        """``YYYY-MM``: when the matter happened, if they said."""
        if self.happened_month is None or self.happened_year is None:
            return None
        return f"{self.happened_year:04d}-{self.happened_month:02d}"

    @property
    def is_spam(self) -> bool:
        """A filled honeypot: a robot, not a person. Pretend success, store nothing."""
        return bool(self.website)

    @property
    def by_child(self) -> bool:
        return self.relationship is Relationship.CHILD_OR_YOUNG_PERSON


MAX_ADDRESS = 500


def _address_lines(value: str) -> str:
    """An address as its lines (commas or new lines between them), each on one line."""
    parts = [" ".join(p.split()) for chunk in value.splitlines() for p in chunk.split(",")]
    return "\n".join(p for p in parts if p)


OptionalEmail = Annotated[Annotated[OneLine, Field(min_length=1, max_length=320)] | None, Optional]


class Recorded(Submission):
    """A complaint staff record for someone who complained another way (phone, letter,
    email, in person, through an advocate, a councillor or an MP): the same questions as the
    public form, plus how it came, when it was received and how they want to hear from us.
    The email is optional when they want post (an address is then needed) or phone (a
    number)."""

    email: OptionalEmail = None  # type: ignore[assignment]
    channel: Literal["phone", "letter", "email", "in_person", "advocate", "councillor_or_mp"]
    received_on: Annotated[date, BeforeValidator(_date_as_text)]
    contact_by: Literal["email", "post", "phone"] = "email"
    address: Annotated[
        Annotated[CleanText, Field(max_length=MAX_ADDRESS), AfterValidator(_address_lines)] | None,
        Optional,
    ] = None
    # The council is already late to acknowledge it: staff confirm they know.
    confirm_late: bool = False
    historic: bool = False  # back-entry: no acknowledgement, no late notices from before

    @model_validator(mode="after")
    def _a_way_to_reach_them(self) -> Recorded:
        if self.contact_by == "email" and self.email is None:
            raise PydanticCustomError("contact_email", "email: missing")
        if self.contact_by == "post" and not self.address:
            raise PydanticCustomError("contact_address", "address: missing")
        if self.contact_by == "phone" and self.phone is None:
            raise PydanticCustomError("contact_phone", "phone: missing")
        return self


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


# (field, pydantic error type) -> message. "*" matches any type for that field.
_MESSAGES: Mapping[tuple[str, str], str] = {
    ("complainant_name", "missing"): "Enter your full name",
    ("complainant_name", "string_too_short"): "Enter your full name",
    ("complainant_name", "string_too_long"): (f"Your name must be {MAX_NAME} characters or fewer"),
    ("complainant_name", "*"): "Enter your full name",
    ("email", "missing"): "Enter your email address",
    ("email", "string_too_short"): "Enter your email address",
    ("email", "email_not_ascii"): (
        "Enter an email address that uses only the letters a to z, numbers and symbols "
        "before the @, like name@example.com"
    ),
    ("email", "*"): "Enter your email address in the correct format, like name@example.com",
    ("relationship", "missing"): "Select how you are connected to the child",
    ("relationship", "*"): "Select how you are connected to the child",
    ("child_name", "missing"): "Enter the child's name",
    ("child_name", "string_too_long"): (f"The child's name must be {MAX_NAME} characters or fewer"),
    ("child_name", "*"): "Enter the child's name",
    ("details", "missing"): "Tell us what your complaint is about",
    ("details", "string_too_short"): "Tell us what your complaint is about",
    ("details", "string_too_long"): (
        f"Your complaint must be {MAX_DETAILS:,} characters or fewer. "
        "You can send more later, or attach documents by email"
    ),
    ("details", "*"): "Tell us what your complaint is about",
    ("submission_id", "*"): "Something went wrong with the form. Reload the page and try again",
    ("phone", "string_too_long"): "Enter a phone number, like 01632 960 001 or 07700 900 982",
    ("phone", "*"): "Enter a phone number, like 01632 960 001 or 07700 900 982",
    ("outcome_sought", "string_too_long"): (
        f"What you would like to happen must be {MAX_OUTCOME:,} characters or fewer"
    ),
    ("outcome_sought", "*"): "Tell us what you would like to happen",
    ("wants_advocate", "*"): "Select yes if you would like help from an advocate",
    ("child_in_danger", "*"): "Select yes if a child is in danger now",
    ("child_date_of_birth", "value_error"): "The child's date of birth must be in the past",
    ("child_date_of_birth", "*"): (
        "Enter the child's date of birth as a real date, like 27 3 2012 (2012-03-27)"
    ),
    ("service_area", "*"): "Select which service your complaint is about",
    ("happened_month", "happened_no_month"): "When it happened must include a month",
    ("happened_month", "happened_future"): "When it happened must be in the past",
    ("happened_month", "*"): "When it happened must be a real month, like 3 for March",
    ("happened_year", "happened_no_year"): "When it happened must include a year",
    ("happened_year", "*"): "When it happened must be a real year, like 2025",
    ("connection", "string_too_long"): (
        f"Your connection to the child must be {MAX_CONNECTION} characters or fewer"
    ),
    ("connection", "*"): "Tell us how you are connected to the child",
    ("email", "contact_email"): (
        "Enter their email address, or choose post or phone as how they want to hear from us"
    ),
    ("address", "contact_address"): "Enter their postal address, as they want letters by post",
    ("address", "string_too_long"): f"The address must be {MAX_ADDRESS} characters or fewer",
    ("address", "*"): "Enter their postal address",
    ("phone", "contact_phone"): "Enter their phone number, as they want us to phone them",
    ("channel", "*"): (
        "Select how the complaint came: phone, letter, email, in person, advocate, or a "
        "councillor or MP"
    ),
    ("received_on", "*"): "Enter the date the complaint was received, like 2025-03-27",
    ("contact_by", "*"): "Select how they want to hear from us: email, post or phone",
    ("confirm_late", "*"): "Confirm yes or no",
    ("historic", "*"): "Say yes or no: is this an old case entered for the record",
}

FIELD_ORDER = (
    "child_in_danger",
    "relationship",
    "complainant_name",
    "email",
    "phone",
    "child_name",
    "child_date_of_birth",
    "service_area",
    "connection",
    "details",
    "happened_month",
    "happened_year",
    "outcome_sought",
    "wants_advocate",
    "submission_id",
    "channel",
    "received_on",
    "contact_by",
    "address",
)


def _message(field: str, error_type: str) -> str:
    return _MESSAGES.get((field, error_type)) or _MESSAGES.get(
        (field, "*"), "Check this answer and try again"
    )


def plain_errors(error: ValidationError) -> list[FieldError]:
    """Turn pydantic's errors into one plain-English message per field, in form order.

    Messages never echo what was typed (it may be personal data).
    """
    found: dict[str, str] = {}
    for item in error.errors(include_url=False, include_input=False):
        location = item["loc"]
        said = str(item.get("msg", ""))
        if location:
            field = str(location[0])
        elif "child_name" in said:
            field = "child_name"
        elif said.startswith(("happened_month:", "happened_year:", "email:", "address:", "phone:")):
            field = said.split(":", 1)[0]
        else:
            field = "details"
        error_type = "missing" if field == "child_name" and not location else item["type"]
        error_type = {"too_long": "string_too_long", "too_short": "string_too_short"}.get(
            error_type, error_type
        )
        found.setdefault(field, _message(field, error_type))
    order = {name: index for index, name in enumerate(FIELD_ORDER)}
    return [
        FieldError(field, message)
        for field, message in sorted(found.items(), key=lambda kv: order.get(kv[0], 99))
    ]


def parse_submission(data: Mapping[str, Any]) -> Submission | list[FieldError]:
    """Validate raw form or JSON fields: a ``Submission``, or the list of errors to show."""
    if not isinstance(data, Mapping):
        return [FieldError("details", "Send the complaint as a set of named fields")]
    try:
        return Submission.model_validate(dict(data))
    except ValidationError as error:
        return plain_errors(error)


def parse_recorded(data: Mapping[str, Any]) -> Recorded | list[FieldError]:
    """Validate a complaint staff record: a ``Recorded``, or the list of errors to show."""
    if not isinstance(data, Mapping):
        return [FieldError("details", "Send the complaint as a set of named fields")]
    try:
        return Recorded.model_validate(dict(data))
    except ValidationError as error:
        return plain_errors(error)
