"""A made-up complainant whose every answer is distinctive, and the forms each answer could
take on its way into a log (lower case, the email's local part, the date written other ways,
each unusual word of the complaint), so a leak is found whatever shape it leaks in."""

from __future__ import annotations

from typing import Any

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.q7xv@example.org"
PHONE = "07700 900461"
CHILD = "Thaddeus Brightwater"
DATE_OF_BIRTH = "2012-03-14"
# The complaint's words that no log or message could contain by chance.
DETAILS_WORDS = ("Ravelsmith", "quinceberry", "glimmerdusk", "marzipanic", "Oskeldorf")
OUTCOME_WORDS = ("brambleworth", "Tindlewick")
REASON_WORDS = ("snickerwhistle",)
DETAILS = (
    f"Mrs {DETAILS_WORDS[0]} cancelled the {DETAILS_WORDS[1]} placement review at "
    f"{DETAILS_WORDS[4]} House twice; the {DETAILS_WORDS[2]} contact notes were lost and "
    f"nobody answered my {DETAILS_WORDS[3]} letters."
)
OUTCOME = f"An apology and the {OUTCOME_WORDS[0]} files from {OUTCOME_WORDS[1]} office."
REASON = f"Still no proper answer, said {REASON_WORDS[0]}."


def fields(**changes: Any) -> dict[str, Any]:
    """The person's complaint as the form or the JSON API sends it."""
    answers: dict[str, Any] = {
        "complainant_name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "relationship": "parent",
        "child_name": CHILD,
        "child_date_of_birth": DATE_OF_BIRTH,
        "details": DETAILS,
        "outcome_sought": OUTCOME,
        "wants_advocate": "no",
        "service_area": "childrens_social_care",
    }
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not None}


def personal_forms(*extra: str) -> list[str]:
    """Every form of the person's data to look for (compare in lower case)."""
    year, month, day = DATE_OF_BIRTH.split("-")
    local_part = EMAIL.split("@")[0]
    digits = PHONE.replace(" ", "")
    forms = [
        NAME,
        *NAME.split(),
        EMAIL,
        local_part,
        PHONE,
        digits,
        digits[1:],  # as in +44 7700 900461
        CHILD,
        *CHILD.split(),
        DATE_OF_BIRTH,
        f"{day}/{month}/{year}",
        f"{year}{month}{day}",
        f"{day}-{month}-{year}",
        f"{year}/{month}/{day}",
        f"{int(day)} March {year}",
        f"{int(day)} Mar {year}",
        DETAILS,
        *DETAILS_WORDS,
        OUTCOME,
        *OUTCOME_WORDS,
        REASON,
        *REASON_WORDS,
        *extra,
    ]
    return [form.lower() for form in dict.fromkeys(forms)]


def leaks(text: str, *extra: str) -> list[str]:
    """The forms of the person's data found in ``text`` (empty when none)."""
    lowered = text.lower()
    return [form for form in personal_forms(*extra) if form in lowered]
