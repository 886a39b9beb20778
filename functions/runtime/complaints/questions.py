"""The complaint form as question pages (the GOV.UK "question pages" pattern): which pages
there are, in what order, which apply to whom, and what is wrong with a page's answers.

Pure: no I/O. The handler (``handlers.journey``) keeps the answers in a draft
(``service.drafts``) and renders each page (``templates/journey/``); when everything is answered
the answers become one ``Submission``, the same as the JSON API's. Every message a page shows
is the submission's own (``complaints.submission``), so the pages and the API never disagree;
the few this adds are the GOV.UK date-input messages for the three date boxes.

The order: is a child in danger now (first: "yes" goes straight to the urgent route's phone
numbers), who you are, the child (not asked of a child complaining for themselves), what
happened, when, which service, what you would like to happen, an advocate, your contact
details; then check your answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from complaints.submission import (
    RELATIONSHIP_LABELS,
    FieldError,
    Relationship,
    Submission,
    _message,
    parse_submission,
)

Answers = Mapping[str, str]

CHILD = Relationship.CHILD_OR_YOUNG_PERSON.value
OTHER = Relationship.OTHER.value
NOT_SURE = "not_sure"  # "which service": the person does not know (the statutory one applies)
DOB = "child_date_of_birth"
DATE_PARTS = ("day", "month", "year")

# Fields the API knows (``Submission``) that the pages ask, in the pages' order.
SUBMISSION_FIELDS = (
    "child_in_danger",
    "relationship",
    "connection",
    "child_name",
    DOB,
    "details",
    "happened_month",
    "happened_year",
    "service_area",
    "outcome_sought",
    "wants_advocate",
    "complainant_name",
    "email",
    "phone",
)

# A complaint the submission accepts: a page's answers are checked against it, so each page
# gets the submission's own messages for its own fields only.
_BASE: Mapping[str, str] = {
    "complainant_name": "A Person",
    "email": "person@example.com",
    "relationship": Relationship.PARENT.value,
    "child_name": "A Child",
    "details": "What happened.",
}


def _always(_: Answers) -> bool:
    return True


def by_child(answers: Answers) -> bool:
    return answers.get("relationship") == CHILD


@dataclass(frozen=True)
class Page:
    slug: str
    fields: tuple[str, ...]  # the form's field names on the page
    required: tuple[str, ...] = ()  # must be answered here (the submission may not ask it)
    applies: Callable[[Answers], bool] = _always


QUESTIONS: tuple[Page, ...] = (
    Page("child-in-danger", ("child_in_danger",), required=("child_in_danger",)),
    Page("who-you-are", ("relationship",), required=("relationship",)),
    Page(
        "connection",
        ("connection",),
        required=("connection",),
        applies=lambda a: a.get("relationship") == OTHER,
    ),
    Page(
        "about-the-child",
        ("child_name", *(f"{DOB}-{part}" for part in DATE_PARTS)),
        required=("child_name",),
        applies=lambda a: not by_child(a),
    ),
    Page("what-happened", ("details",), required=("details",)),
    Page("when-it-happened", ("happened_month", "happened_year")),
    Page("which-service", ("service_area",), required=("service_area",)),
    Page("what-you-want", ("outcome_sought",)),
    Page("advocate", ("wants_advocate",), required=("wants_advocate",)),
    Page(
        "contact-details",
        ("complainant_name", "email", "phone"),
        required=("complainant_name", "email"),
    ),
)
BY_SLUG: Mapping[str, Page] = {page.slug: page for page in QUESTIONS}
FIRST = QUESTIONS[0].slug
URGENT = "urgent"  # the urgent route's page: after "yes, a child is in danger now"
CHECK = "check-your-answers"
FIELDS = frozenset(name for page in QUESTIONS for name in page.fields)


def in_danger(answers: Answers) -> bool:
    return answers.get("child_in_danger") == "yes"


def applicable(answers: Answers) -> list[Page]:
    return [page for page in QUESTIONS if page.applies(answers)]


def next_slug(slug: str, answers: Answers) -> str:
    """The page after ``slug`` for these answers (the urgent route's page after "yes")."""
    if slug == FIRST and in_danger(answers):
        return URGENT
    if slug == URGENT:
        slug = FIRST
    pages = [p.slug for p in QUESTIONS]
    for page in QUESTIONS[pages.index(slug) + 1 :]:
        if page.applies(answers):
            return page.slug
    return CHECK


def previous_slug(slug: str, answers: Answers) -> str | None:
    """The page before ``slug`` (for the back link); ``None`` on the first."""
    if slug == URGENT:
        return FIRST
    order = [p.slug for p in applicable(answers)]
    if slug == CHECK:
        return order[-1]
    if slug not in order or order.index(slug) == 0:
        return None
    before = order[order.index(slug) - 1]
    return URGENT if before == FIRST and in_danger(answers) else before


def first_incomplete(answers: Answers, seen: frozenset[str]) -> str | None:
    """The first page that applies and was never answered, or whose answers are not right
    (an earlier change can make a later page apply); ``None`` when all are done."""
    for page in applicable(answers):
        if page.slug not in seen or page_errors(page, answers):
            return page.slug
    return None


# --- dates in three boxes (GOV.UK "date input") ---------------------------------------------


def _date_parts(answers: Answers) -> dict[str, str]:
    return {part: answers.get(f"{DOB}-{part}", "").strip() for part in DATE_PARTS}


def _missing_words(missing: Sequence[str]) -> str:
    return " and ".join(missing)


def date_of_birth(answers: Answers) -> tuple[str | None, FieldError | None]:
    """The child's date of birth from its three boxes, as ``YYYY-MM-DD`` (``None`` when all
    three are empty), or the GOV.UK message for what is wrong with them."""
    parts = _date_parts(answers)
    if not any(parts.values()):
        return None, None
    missing = [part for part in DATE_PARTS if not parts[part]]
    if missing:
        return None, FieldError(
            DOB, f"The child's date of birth must include a {_missing_words(missing)}"
        )
    not_real = FieldError(DOB, "The child's date of birth must be a real date")
    if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
        return None, not_real
    if int(parts["year"]) < 1900:
        return None, not_real
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return None, not_real
    return day.isoformat(), None


def error_anchor(field: str, answers: Answers) -> str:
    """The id an error summary's link goes to: the field, or for the date of birth the first
    box to change."""
    if field != DOB:
        return field
    parts = _date_parts(answers)
    empty = [part for part in DATE_PARTS if not parts[part]]
    if empty and len(empty) < len(DATE_PARTS):
        return f"{DOB}-{empty[0]}"
    return f"{DOB}-day"


# --- answers to a submission ----------------------------------------------------------------


def submission_data(answers: Answers) -> dict[str, str]:
    """The submission's fields from the pages' answers, as the API would get them: what does
    not apply any more (the child's name for a child, a connection for a parent) left out."""
    data = {name: answers[name] for name in SUBMISSION_FIELDS if answers.get(name)}
    dob, _ = date_of_birth(answers)
    if dob:
        data[DOB] = dob
    if data.get("service_area") == NOT_SURE:
        del data["service_area"]
    if by_child(answers):
        data.pop("child_name", None)
        data.pop(DOB, None)
    if answers.get("relationship") != OTHER:
        data.pop("connection", None)
    return data


def page_errors(page: Page, answers: Answers) -> list[FieldError]:
    """What is wrong with ``page``'s answers, in the submission's words, in page order."""
    found: dict[str, str] = {}
    for name in page.required:
        if not answers.get(name, "").strip():
            found[name] = _message(name, "missing")
    if DOB + "-day" in page.fields:
        _, problem = date_of_birth(answers)
        if problem:
            found[DOB] = problem.message
    mine = {DOB if name.startswith(DOB) else name for name in page.fields}
    if not found.keys() >= mine:
        data = {k: v for k, v in _BASE.items() if k not in mine}
        if "relationship" not in mine and answers.get("relationship"):
            data["relationship"] = answers["relationship"]
        data.update({k: v for k, v in submission_data(answers).items() if k in mine})
        if data.get("service_area") is None and answers.get("service_area") == NOT_SURE:
            data.pop("service_area", None)
        result = parse_submission(data)
        if isinstance(result, list):
            for error in result:
                if error.field in mine:
                    found.setdefault(error.field, error.message)
    order = [DOB if name.startswith(DOB) else name for name in page.fields]
    return [FieldError(name, found[name]) for name in dict.fromkeys(order) if name in found]


def to_submission(answers: Answers) -> Submission | list[FieldError]:
    return parse_submission(submission_data(answers))


# --- check your answers ---------------------------------------------------------------------

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Row:
    """One row of "check your answers": the question, the answer, the page to change it."""

    key: str
    value: str
    page: str
    change: str  # what the Change link changes (read by screen readers after "Change")


def _yes_no(value: str | None) -> str:
    return {"yes": "Yes", "no": "No"}.get(value or "", "Not given")


def summary(answers: Answers, service_areas: Mapping[str, str]) -> list[Row]:
    """Every answer that applies, in page order, each with the page that asks it."""
    child = by_child(answers)
    relationship = answers.get("relationship", "")
    try:
        who = RELATIONSHIP_LABELS[Relationship(relationship)]
    except ValueError:
        who = "Not given"
    rows = [
        Row(
            "Is a child in danger right now?",
            _yes_no(answers.get("child_in_danger")),
            "child-in-danger",
            "whether a child is in danger right now",
        ),
        Row("Who you are", who, "who-you-are", "who you are"),
    ]
    if relationship == OTHER:
        rows.append(
            Row(
                "How you know the child",
                answers.get("connection") or "Not given",
                "connection",
                "how you know the child",
            )
        )
    if not child:
        dob, _ = date_of_birth(answers)
        rows += [
            Row(
                "The child's name",
                answers.get("child_name") or "Not given",
                "about-the-child",
                "the child's name",
            ),
            Row(
                "The child's date of birth",
                _long(dob) if dob else "Not given",
                "about-the-child",
                "the child's date of birth",
            ),
        ]
    month, year = answers.get("happened_month", ""), answers.get("happened_year", "")
    when = (
        f"{MONTHS[int(month) - 1]} {year}"
        if month.isdigit() and 1 <= int(month) <= 12 and year
        else "Not given"
    )
    area = answers.get("service_area", "")
    rows += [
        Row(
            "What happened", answers.get("details") or "Not given", "what-happened", "what happened"
        ),
        Row("When it happened", when, "when-it-happened", "when it happened"),
        Row(
            "Which service",
            service_areas.get(area, "Not sure"),
            "which-service",
            "which service your complaint is about",
        ),
        Row(
            "What you would like to happen",
            answers.get("outcome_sought") or "Not given",
            "what-you-want",
            "what you would like to happen",
        ),
        Row(
            "Help from an advocate",
            _yes_no(answers.get("wants_advocate")),
            "advocate",
            "whether you would like help from an advocate",
        ),
        Row(
            "Your name",
            answers.get("complainant_name") or "Not given",
            "contact-details",
            "your name",
        ),
        Row(
            "Your email address",
            answers.get("email") or "Not given",
            "contact-details",
            "your email address",
        ),
        Row(
            "Your phone number",
            answers.get("phone") or "Not given",
            "contact-details",
            "your phone number",
        ),
    ]
    return rows


def _long(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


__all__ = [
    "CHECK",
    "FIELDS",
    "FIRST",
    "NOT_SURE",
    "QUESTIONS",
    "URGENT",
    "Page",
    "Row",
    "applicable",
    "by_child",
    "date_of_birth",
    "error_anchor",
    "first_incomplete",
    "in_danger",
    "next_slug",
    "page_errors",
    "previous_slug",
    "submission_data",
    "summary",
    "to_submission",
]
