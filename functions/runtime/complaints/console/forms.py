"""One GOV.UK form page per action of the action table (``data/actions.yaml``): its
questions, how the answers are read (dates as three boxes, money through ``complaints.money``,
every text made plain by ``complaints.text.plain_text``), and the lifecycle call they make.

A form only reads answers; the lifecycle decides. An answer that cannot be read (a date that
does not exist, an amount that is not money) is shown against its question; a change the
lifecycle refuses shows its sentence in the error summary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from complaints.models import Case
from complaints.service import lifecycle as lc
from complaints.service.lifecycle import Act, Action, Transition
from complaints.service.lifecycle.records import CALL_KINDS, DIRECTIONS

Kind = Literal["text", "textarea", "email", "number", "date", "radios", "checkboxes", "money"]


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    kind: Kind = "text"
    hint: str | None = None
    options: Callable[[Case], Sequence[tuple[str, str]]] | None = None  # (value, words)
    required: bool = False
    missing: str | None = None  # the error when a required answer is missing


@dataclass(frozen=True)
class Form:
    action: Action
    questions: tuple[Question, ...]
    apply: Callable[[Case, Act, Mapping[str, Any]], Transition]
    intro: str | None = None
    button: str | None = None  # default: the action's label
    # Whether the form can be filled in for this case (a recommendation to answer, a panel
    # date to record): the page offers it only then; the lifecycle still decides.
    ready: Callable[[Case], bool] = lambda _case: True


class AnswerError(ValueError):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("answers")
        self.errors = errors  # (field id, message)


def _words(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _fixed(*codes: str) -> Callable[[Case], Sequence[tuple[str, str]]]:
    return lambda _case: [(c, _words(c)) for c in codes]


def _stage_roles(case: Case) -> Sequence[tuple[str, str]]:
    from complaints.procedures import get_procedure

    return [(r, _words(r)) for r in get_procedure(case.procedure).stage(case.stage_number()).roles]


def _extension_reasons(case: Case) -> Sequence[tuple[str, str]]:
    from complaints.procedures import get_procedure

    stage = get_procedure(case.procedure).stage(case.stage_number())
    return [(r, _words(r)) for r in stage.milestones[-1].extension_reasons]


def _themes(_case: Case) -> Sequence[tuple[str, str]]:
    from complaints.settings import load_settings

    return [(t, _words(t)) for t in load_settings().themes]


def _milestones(case: Case) -> Sequence[tuple[str, str]]:
    from complaints.procedures import get_procedure

    stage = get_procedure(case.procedure).stage(case.stage_number())
    return [(m.id, m.name) for m in stage.milestones if m.id != "response"]


def _recommendations_allowed(case: Case) -> bool:
    from complaints.procedures import get_procedure

    return bool(get_procedure(case.procedure).stage(case.stage_number()).recommendations)


def _unanswered(case: Case) -> Sequence[tuple[str, str]]:
    return [(r.id, f"{r.id}: {r.text}") for r in case.recommendations if r.response is None]


def _to_complete(case: Case) -> Sequence[tuple[str, str]]:
    return [
        (r.id, f"{r.id}: {r.text}")
        for r in case.recommendations
        if r.response == "accepted" and r.completed_on is None
    ]


# How the family can be told what an email they did not get said (``models.ContactMeans``).
CONTACT_WORDS = {
    "email": "Email, to another address",
    "advocate": "Through their advocate",
    "other": "Another way",
}


def _contact_means(_case: Case) -> Sequence[tuple[str, str]]:
    return [(means, CONTACT_WORDS.get(means, _words(means))) for means in lc.CONTACT_MEANS]


YES_NO = _fixed("yes", "no")
ON = Question("on", "When did it happen?", "date", "Leave blank for today. For example, 27 3 2025")


def _dated(act: Act, day: date | None) -> Act:
    return act.dated(day) if day else act


FORMS: dict[Action, Form] = {}


def _form(form: Form) -> None:
    FORMS[form.action] = form


_form(
    Form(
        Action.ACKNOWLEDGE,
        (
            Question(
                "summary",
                "What do you understand the complaint to be?",
                "textarea",
                "As agreed with the complainant.",
                required=True,
                missing="Enter what the complaint is about, as agreed with the complainant",
            ),
            Question("outcome_sought", "What outcome do they want?", "textarea"),
            Question(
                "how",
                "How did you reach them?",
                "radios",
                options=_fixed("phone", "email", "letter", "meeting", "video_call"),
                required=True,
                missing="Select how you reached the complainant",
            ),
            ON,
        ),
        lambda c, act, v: lc.acknowledge(
            c,
            _dated(act, v["on"]),
            summary=v["summary"],
            outcome_sought=v["outcome_sought"],
            how=v["how"] or "phone",
        ),
        intro="The complainant is told what you recorded.",
    )
)
_form(
    Form(
        Action.ASSIGN,
        (
            Question(
                "owner", "Who owns the case?", "email", "Their work email address.", required=True
            ),
        ),
        lambda c, act, v: lc.assign(c, v["owner"], act),
    )
)
_form(
    Form(
        Action.ROLES,
        (
            Question("role", "Which role?", "radios", options=_stage_roles, required=True),
            Question("holder", "Who holds it?", "text", "Their full name.", required=True),
        ),
        lambda c, act, v: lc.assign_roles(c, {v["role"]: v["holder"]}, act),
    )
)
_form(
    Form(
        Action.EXTEND,
        (
            Question(
                "to",
                "How many working days in total, from the start of the stage?",
                "number",
                required=True,
            ),
            Question("grounds", "Why is more time needed?", "radios", options=_extension_reasons),
            Question(
                "reason",
                "Explain the reason",
                "textarea",
                "The complainant is told.",
                required=True,
            ),
        ),
        lambda c, act, v: lc.extend(c, v["to"], v["reason"], act, grounds=v["grounds"]),
    )
)
_form(
    Form(
        Action.HOLD,
        (
            Question(
                "grounds",
                "What is running?",
                "radios",
                "The complainant is told this, in plain words.",
                _fixed("court_proceedings", "police_investigation", "other"),
                required=True,
            ),
            Question("reason", "Details", "textarea", "Internal: not sent to them.", required=True),
            Question("review_by", "When will the hold be looked at again?", "date", "Optional."),
        ),
        lambda c, act, v: lc.hold(
            c, act, grounds=v["grounds"], reason=v["reason"], review_on=v["review_by"]
        ),
    )
)
_form(
    Form(
        Action.RESUME,
        (Question("reason", "Why is the clock starting again?", "textarea", "Optional."),),
        lambda c, act, v: lc.resume(c, act, v["reason"] or None),
    )
)
_form(
    Form(
        Action.DECIDE_PROCEEDINGS,
        (
            Question(
                "decision",
                "Would considering the complaint prejudice the proceedings?",
                "radios",
                options=lambda _c: [
                    ("hold", "Yes: hold it while they run"),
                    ("proceed", "No: carry on"),
                ],
                required=True,
            ),
            Question(
                "grounds",
                "What is running?",
                "radios",
                options=_fixed("court_proceedings", "police_investigation", "other"),
                required=True,
            ),
            Question("reasons", "Reasons", "textarea", "The complainant is told.", required=True),
            Question("review_by", "When will it be looked at again?", "date", "Optional."),
        ),
        lambda c, act, v: lc.decide_proceedings(
            c,
            act,
            hold=v["decision"] == "hold",
            grounds=v["grounds"],
            reasons=v["reasons"],
            review_on=v["review_by"],
        ),
    )
)


def _decision(
    action: Action, call: Callable[..., Transition], extra: tuple[Question, ...] = ()
) -> Form:
    return Form(
        action,
        (
            Question(
                "decision",
                "What have you decided?",
                "radios",
                options=lambda _c: [("accept", "Accept"), ("refuse", "Refuse")],
                required=True,
            ),
            Question("reasons", "Reasons", "textarea", "The complainant is told.", required=True),
            *extra,
        ),
        lambda c, act, v: call(
            c,
            act,
            accept=v["decision"] == "accept",
            reasons=v["reasons"],
            **{q.name: v[q.name] or None for q in extra},
        ),
    )


_form(_decision(Action.DECIDE_LATE_COMPLAINT, lc.decide_late_complaint))
_form(
    _decision(
        Action.DECIDE_SUFFICIENT_INTEREST,
        lc.decide_sufficient_interest,
        (
            Question(
                "child_views",
                "What are the child's views?",
                "textarea",
                "Or why they could not be asked.",
            ),
        ),
    )
)
_form(_decision(Action.DECIDE_LATE_REQUEST, lc.decide_late_request))
_form(
    Form(
        Action.RECORD_MILESTONE,
        (
            Question("milestone", "Which date?", "radios", options=_milestones, required=True),
            Question("on", "When was it?", "date", "For example, 27 3 2025", required=True),
        ),
        lambda c, act, v: lc.record_milestone(c, v["milestone"], act, on=v["on"]),
        ready=lambda c: bool(_milestones(c)),
    )
)
_form(
    Form(
        Action.RECOMMEND,
        (
            Question("text", "What is recommended?", "textarea", required=True),
            Question("owner", "Who owns it?", "email", "Their work email address.", required=True),
            Question("due", "When is it due?", "date", "For example, 27 3 2025", required=True),
        ),
        lambda c, act, v: lc.recommend(c, v["text"], v["owner"], v["due"], act),
        ready=lambda c: _recommendations_allowed(c),
    )
)
_form(
    Form(
        Action.ANSWER_RECOMMENDATION,
        (
            Question(
                "recommendation",
                "Which recommendation?",
                "radios",
                options=_unanswered,
                required=True,
            ),
            Question(
                "decision",
                "The council's answer",
                "radios",
                options=lambda _c: [("accept", "Accept"), ("reject", "Reject")],
                required=True,
            ),
            Question("action", "What will the council do?", "textarea", "If you accept it."),
            Question("reasons", "Why not?", "textarea", "If you reject it."),
            Question("due", "A new due date", "date", "Optional."),
            Question("owner", "A new owner", "email", "Optional: a work email address."),
        ),
        lambda c, act, v: lc.answer_recommendation(
            c,
            v["recommendation"],
            act,
            accept=v["decision"] == "accept",
            action=v["action"] or None,
            reasons=v["reasons"] or None,
            due_on=v["due"],
            owner=v["owner"] or None,
        ),
        ready=lambda c: bool(_unanswered(c)),
    )
)
_form(
    Form(
        Action.RESPOND,
        (
            Question(
                "outcome",
                "What was the outcome?",
                "radios",
                options=_fixed("upheld", "partly_upheld", "not_upheld", "resolved"),
                required=True,
                missing="Select the outcome",
            ),
            Question("themes", "Themes", "checkboxes", "For the annual report.", _themes),
            Question("learning", "What was learnt?", "textarea"),
            Question("actions", "Corrective actions", "textarea", "One on each line."),
            Question(
                "compensation", "Payment offered, in pounds", "money", "Optional, for example 250"
            ),
            Question(
                "letter",
                "The response letter",
                "textarea",
                "Drafted from the council's template for the outcome: answer each part of the "
                "complaint, say what the council will do, and any apology or remedy. It is sent "
                "to the complainant as it is here.",
                required=True,
                missing="Write the response letter: a stage cannot be answered without it",
            ),
            Question("themes", "Themes", "checkboxes", "For the annual report.", _themes),
            Question("learning", "What was learnt?", "textarea", "Internal."),
            Question("actions", "Corrective actions", "textarea", "One on each line."),
            Question(
                "compensation", "Payment offered, in pounds", "money", "Optional, for example 250"
            ),
            Question("on", "When was the response sent?", "date", "Leave blank for today."),
        ),
        lambda c, act, v: lc.respond(
            c,
            v["outcome"],
            _dated(act, v["on"]),
            themes=v["themes"],
            learning=v["learning"] or None,
            corrective_actions=corrective_actions(v["actions"]),
            compensation_pence=v["compensation"],
            letter=v["letter"],
        ),
        intro=(
            "The letter is held with the case and sent to the complainant by email or post, as "
            "they prefer, with what they can do next."
        ),
        button="Send response",
    )
)
_form(
    Form(
        Action.ESCALATE,
        (
            Question("reason", "Why do they want the next stage?", "textarea", "Optional."),
            Question(
                "statement_agreed",
                "Stage 2: when was the statement of complaint agreed?",
                "date",
                "Optional.",
            ),
            Question("on", "When did they ask?", "date", "Leave blank for today."),
        ),
        lambda c, act, v: lc.request_next_stage(
            c,
            _dated(act, v["on"]),
            reason=v["reason"] or None,
            statement_agreed_on=v["statement_agreed"],
        ),
    )
)
_form(
    Form(
        Action.COMPLETE_RECOMMENDATION,
        (
            Question(
                "recommendation",
                "Which recommendation is done?",
                "radios",
                options=_to_complete,
                required=True,
            ),
            Question("on", "When was it done?", "date", "Leave blank for today."),
        ),
        lambda c, act, v: lc.complete_recommendation(c, v["recommendation"], act, on=v["on"]),
        ready=lambda c: bool(_to_complete(c)),
    )
)
_form(
    Form(
        Action.OMBUDSMAN,
        (
            Question("referred", "When was it referred to the Ombudsman?", "date"),
            Question("outcome", "The Ombudsman's outcome", "text", "If it has decided."),
            Question("remedy", "What did it ask the council to do?", "textarea"),
            Question("decided", "When did it decide?", "date"),
            Question("compensation", "Payment, in pounds", "money", "Optional."),
        ),
        lambda c, act, v: lc.record_ombudsman(
            c,
            act,
            referred_on=v["referred"],
            outcome=v["outcome"] or None,
            remedy=v["remedy"] or None,
            decided_on=v["decided"],
            compensation_pence=v["compensation"],
        ),
    )
)
_form(
    Form(
        Action.NEW_LINK,
        (),
        lambda c, act, v: lc.new_status_link(c, act, token=v["_token"]),
        intro=(
            "The complainant is emailed a new link to check their complaint. The link they have "
            "now stops working at once."
        ),
        button="Send the new link",
    )
)
_form(
    Form(
        Action.RECORD_REFERRAL,
        (
            Question(
                "action_taken",
                "What did the front door do?",
                "textarea",
                "For example: referral taken, strategy discussion held, no further action and why.",
                required=True,
            ),
        ),
        lambda c, act, v: lc.record_referral(c, act, action_taken=v["action_taken"]),
        ready=lambda c: c.urgent,
    )
)
_form(
    Form(
        Action.ADVOCACY,
        (
            Question(
                "provided",
                "Did an advocate help the complainant?",
                "radios",
                options=YES_NO,
                required=True,
            ),
        ),
        lambda c, act, v: lc.record_advocacy(c, v["provided"] == "yes", act),
    )
)
_form(
    Form(
        Action.CLOSE,
        (
            Question(
                "withdrawn",
                "Did the complainant withdraw?",
                "radios",
                options=YES_NO,
                required=True,
            ),
            Question("reason", "Reason", "textarea", "Needed when they withdrew."),
        ),
        lambda c, act, v: lc.close(
            c, act, reason=v["reason"] or None, withdrawn=v["withdrawn"] == "yes"
        ),
    )
)

_form(
    Form(
        Action.RECORD_CONTACT,
        (
            Question(
                "how",
                "How was the family told?",
                "radios",
                "What the emails they did not get said.",
                options=_contact_means,
                required=True,
                missing="Select how the family was told",
            ),
            Question("on", "When were they told?", "date", "Leave blank for today."),
            Question("note", "What was said, or to whom", "textarea", "Optional. Internal."),
        ),
        lambda c, act, v: lc.record_contact(
            c, _dated(act, v["on"]), how=v["how"], note=v["note"] or None
        ),
        intro="An email to the family did not arrive: record how they were told instead.",
        ready=lambda c: c.needs_contact,
    )
)

_form(
    Form(
        Action.NOTE,
        (
            Question(
                "text",
                "Note",
                "textarea",
                "Internal: never shown or sent to the complainant.",
                required=True,
                missing="Write the note",
            ),
        ),
        lambda c, act, v: lc.add_note(c, act, text=v["text"]),
        button="Add the note",
    )
)
CALL_WORDS = {
    "phone_call": "Phone call",
    "meeting": "Meeting",
    "video_call": "Video call",
    "visit": "Visit",
    "from_family": "They contacted us",
    "to_family": "We contacted them",
}


def _call_options(*codes: str) -> Callable[[Case], Sequence[tuple[str, str]]]:
    return lambda _case: [(c, CALL_WORDS.get(c, _words(c))) for c in codes]


_form(
    Form(
        Action.RECORD_CALL,
        (
            Question(
                "summary",
                "What was said or agreed?",
                "textarea",
                "Internal: never shown or sent to the complainant.",
                required=True,
                missing="Say what was said or agreed",
            ),
            Question(
                "kind",
                "What was it?",
                "radios",
                options=_call_options(*CALL_KINDS),
                required=True,
                missing="Select what it was: a phone call, meeting, video call or visit",
            ),
            Question("with_whom", "Who was it with?", "text", "Optional. For example, the mother"),
            Question(
                "direction",
                "Who contacted whom?",
                "radios",
                options=_call_options(*DIRECTIONS),
                required=True,
                missing="Select who contacted whom",
            ),
            ON,
        ),
        lambda c, act, v: lc.record_call(
            c,
            _dated(act, v["on"]),
            kind=v["kind"],
            summary=v["summary"],
            with_whom=v["with_whom"] or None,
            direction=v["direction"],
        ),
        button="Record it",
    )
)
LETTER_WORDS = {
    "post": "Posted",
    "phone": "Read out on the phone",
    "in_person": "Handed over in person",
    "advocate": "Given to their advocate",
}
_form(
    Form(
        Action.MARK_LETTER_POSTED,
        (
            Question(
                "on", "When was it posted?", "date", "Leave blank for today. For example, 27 3 2025"
            ),
            Question(
                "how",
                "How did it go?",
                "radios",
                options=lambda _c: list(LETTER_WORDS.items()),
            ),
        ),
        lambda c, act, v: lc.mark_letter_posted(
            c, _dated(act, v["on"]), letter_id=v["_letter"], kind=v["_kind"], how=v["how"] or "post"
        ),
        button="Mark as posted",
        # Reached from the letters to send (each letter has its own form), not a case button.
        ready=lambda _c: False,
    )
)
_form(
    Form(
        Action.SEND_RESPONSE_AGAIN,
        (),
        lambda c, act, v: lc.send_response_again(c, act),
        intro=(
            "The latest response letter is sent to the complainant once more, the way they "
            "want to hear from us (email, or a letter to post)."
        ),
        button="Send the response letter again",
        ready=lambda c: c.stage.response_letter is not None,
    )
)
_form(
    Form(
        Action.EXPORT,
        (
            Question(
                "purpose",
                "Why is it being exported?",
                "text",
                "Optional. For example, the Ombudsman's enquiry or a subject access request. "
                "It goes on the timeline.",
            ),
        ),
        lambda c, act, v: lc.record_export(c, act, purpose=v["purpose"] or None),
        intro=(
            "The whole case as one document: the complaint, every event, the letters, and the "
            "notes and calls marked internal. The export is recorded on the case and in its "
            "access log."
        ),
        button="Export the case file",
    )
)

assert set(FORMS) == set(Action), "every action of the table has a form"


def corrective_actions(text: str) -> list[str]:
    """One corrective action a line, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _read_date(form: Mapping[str, list[str]], name: str) -> tuple[date | None, str | None]:
    parts = [(form.get(f"{name}-{p}") or [""])[0].strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None, None
    if not all(parts) or not all(p.isdigit() for p in parts):
        return None, "Enter a real date, with a day, month and year"
    day, month, year = (int(p) for p in parts)
    try:
        found = date(year, month, day)
    except ValueError:
        return None, "Enter a real date"
    if year < 1900:
        return None, "Enter a year with 4 digits"
    return found, None


def read_answers(form: Form, case: Case, posted: Mapping[str, list[str]]) -> dict[str, Any]:
    """The answers as the lifecycle takes them; ``AnswerError`` lists the ones that cannot
    be read (each against its question)."""
    from complaints.money import MoneyError, parse_pence
    from complaints.text import plain_text

    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for question in form.questions:
        raw = [plain_text(v) for v in posted.get(question.name) or []]
        first = raw[0].strip() if raw else ""
        field_id = question.name
        if question.kind == "date":
            found, problem = _read_date(posted, question.name)
            field_id = f"{question.name}-day"
            if problem:
                errors.append((field_id, problem))
            elif found is None and question.required:
                errors.append((field_id, f"Enter {question.label.lower().rstrip('?')}"))
            values[question.name] = found
            continue
        if question.kind == "checkboxes":
            allowed = {v for v, _ in (question.options(case) if question.options else [])}
            values[question.name] = [v for v in raw if v in allowed]
            continue
        known = {v for v, _ in question.options(case)} if question.options else set()
        if question.kind == "radios" and first and first not in known:
            errors.append((field_id, f"Select {question.label.lower().rstrip('?')}"))
            continue
        if question.required and not first:
            verb = "Select" if question.kind == "radios" else "Enter"
            errors.append(
                (field_id, question.missing or f"{verb} {question.label.lower().rstrip('?')}")
            )
            continue
        if question.kind == "number":
            if first and not first.isdigit():
                errors.append((field_id, "Enter a whole number of working days"))
                continue
            values[question.name] = int(first) if first else 0
        elif question.kind == "money":
            try:
                values[question.name] = parse_pence(first or None, what="The payment")
            except MoneyError as error:
                errors.append((field_id, str(error)))
        else:
            values[question.name] = raw[0] if question.kind == "textarea" and raw else first
    if errors:
        raise AnswerError(errors)
    return values


@dataclass
class Shown:
    """A form as the template draws it: each question with its options, what was typed, and
    its error."""

    form: Form
    case: Case
    posted: Mapping[str, list[str]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error_for(self, name: str) -> str | None:
        for field_id, message in self.errors:
            if field_id in (name, f"{name}-day"):
                return message
        return None

    def value(self, name: str) -> str:
        return (self.posted.get(name) or [""])[0]

    def values(self, name: str) -> list[str]:
        return list(self.posted.get(name) or [])

    def options(self, question: Question) -> Sequence[tuple[str, str]]:
        return question.options(self.case) if question.options else []
