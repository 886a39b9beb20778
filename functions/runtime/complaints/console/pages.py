"""One function per console page. Each reads only what its page shows, asks the service
layer's rules (``service.staff.permissions``) before showing or changing anything, records
what the person saw or did in the access log, and renders a template (``templates/staff``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from complaints.console.render import render
from complaints.console.web import Request, Response, redirect, safe_next

if TYPE_CHECKING:
    from complaints.console.app import Console
    from complaints.console.auth import Signed
    from complaints.models import Case


def _page(status: int, template: str, signed: Signed | None = None, **context: Any) -> Response:
    if signed is not None:
        context.setdefault("staff", signed.staff)
        context.setdefault("csrf", signed.session.csrf)
    return Response(status, render(template, **context))


# ---- signing in (no session yet) ---------------------------------------------------------


def public(console: Console, request: Request, path: str) -> Response:
    from complaints.console.app import not_found

    if path == "/staff/signed-out":
        return _page(
            200,
            "message.html",
            heading="You have signed out",
            paragraphs=["Close the browser if you are on a shared computer."],
            link={"href": "/staff/sign-in", "text": "Sign in again"},
        )
    if path == "/staff/sign-in":
        return _sign_in(console, request)
    if path == "/staff/sign-in/code":
        return _sign_in_step(console, request)
    if path in ("/staff/sign-in/federated", "/staff/auth/callback") and console.federated:
        from complaints.console import federation

        return federation.page(console, request, path)
    return not_found()


def _sign_in(console: Console, request: Request) -> Response:
    from complaints.console.auth import SignInError

    next_page = safe_next(request.query.get("next") or request.value("next"))
    context: dict[str, Any] = {
        "next": next_page,
        "username": "",
        "field_errors": {},
        "errors": [],
        "message": None,
        "federated": console.federated,
    }
    if request.method == "GET":
        if console.auth.current(request) is not None:
            return redirect(next_page)
        return _page(200, "sign_in.html", **context)
    if request.method != "POST" or request.cross_site:
        return _page(400, "sign_in.html", **context)
    username = request.value("username").strip()
    context["username"] = username
    try:
        sign_in, cookies = console.auth.begin(username, request.value("password"))
    except SignInError as error:
        context["field_errors"] = {error.field: error.message}
        context["errors"] = [{"text": error.message, "href": f"#{error.field}"}]
        return _page(200, "sign_in.html", **context)
    target = "/staff/sign-in/code?" + urlencode({"next": next_page}) if sign_in else next_page
    response = redirect(target)
    response.cookies.extend(cookies)
    return response


STEP_HEADINGS = {
    "SOFTWARE_TOKEN_MFA": "Enter the code from your authenticator app",
    "MFA_SETUP": "Set up your authenticator app",
    "NEW_PASSWORD_REQUIRED": "Choose your password",
}


def _sign_in_step(console: Console, request: Request) -> Response:
    from complaints.console.auth import SignInError

    next_page = safe_next(request.query.get("next"))
    sign_in = console.auth.sign_in_under_way(request)
    if sign_in is None:
        return redirect("/staff/sign-in?" + urlencode({"next": next_page}))
    from complaints.environment import environment

    context: dict[str, Any] = {
        "local_hint": bool(environment().aws_endpoint),  # the embedded AWS of `make run`
        "heading": STEP_HEADINGS[sign_in.challenge],
        "step": sign_in.challenge,
        "secret_code": sign_in.secret_code or "",
        "action": "/staff/sign-in/code?" + urlencode({"next": next_page}),
        "csrf": sign_in.csrf,
        "field_errors": {},
        "errors": [],
    }
    if request.method != "POST":
        return _page(200, "sign_in_step.html", **context)
    if request.cross_site or not console.auth.csrf_ok(sign_in, request):
        return redirect("/staff/sign-in?" + urlencode({"next": next_page}))
    answer = request.value("password" if sign_in.challenge == "NEW_PASSWORD_REQUIRED" else "code")
    try:
        following, cookies = console.auth.answer(sign_in, answer)
    except SignInError as error:
        context["field_errors"] = {error.field: error.message}
        context["errors"] = [{"text": error.message, "href": f"#{error.field}"}]
        return _page(200, "sign_in_step.html", **context)
    response = redirect(context["action"] if following else next_page)
    response.cookies.extend(cookies)
    return response


# ---- signed in ---------------------------------------------------------------------------


def signed_in(console: Console, request: Request, signed: Signed, path: str) -> Response:
    from complaints.console.app import CASE_PATH, PERSON_PATH, not_found

    if path == "/staff/sign-out" and request.method == "POST":
        response = redirect("/staff/signed-out")
        response.cookies.extend(console.auth.sign_out(signed))
        return response
    if path == "/staff/" and request.method == "GET":
        return caseload(console, request, signed)
    found = CASE_PATH.match(path)
    if found:
        reference, action = found.group(1), found.group(2)
        if action is None and request.method == "GET":
            return case_page(console, request, signed, reference)
        if action == "access" and request.method == "GET":
            return access_log(console, signed, reference)
        if action:
            return action_page(console, request, signed, reference, action)
    from complaints.console import casework

    if path == "/staff/complaints/new":
        return casework.record(console, request, signed)
    if path == "/staff/letters" and request.method == "GET":
        return casework.letters(console, request, signed)
    if path.startswith("/staff/letters/"):
        answered = casework.letter_route(console, request, signed, path)
        if answered is not None:
            return answered
    if path == "/staff/reports/backlog" and request.method == "GET":
        return casework.backlog_report(console, request, signed)
    if path == "/staff/reports/annual" and request.method == "GET":
        return casework.annual(console, request, signed)
    if path == "/staff/people" and request.method == "GET":
        return people(console, request, signed)
    if path == "/staff/people/add":
        return add_person(console, request, signed)
    found = PERSON_PATH.match(path)
    if found:
        from urllib.parse import unquote

        return person_change(console, request, signed, unquote(found.group(1)), found.group(2))
    return not_found(signed)


def _load(console: Console, signed: Signed, reference: str) -> Case:
    from complaints.service.references import normalise_reference
    from complaints.service.staff.permissions import NotAllowedError, require_view

    ref = normalise_reference(reference)
    case = console.store.get_case(ref) if ref else None
    if case is None:
        raise NotAllowedError("no such case")
    require_view(signed.staff, case)
    return case  # type: ignore[no-any-return]


def _log(console: Console, signed: Signed, reference: str, kind: str, what: str) -> None:
    from complaints.clock import wall_now
    from complaints.service.staff.access import AccessEntry

    console.store.record_access(
        AccessEntry(
            reference=reference,
            at=wall_now(),
            by=signed.staff.name,
            username=signed.staff.username,
            kind=kind,  # type: ignore[arg-type]
            what=what,
        )
    )


def caseload(console: Console, request: Request, signed: Signed) -> Response:
    from complaints.adapters.dynamo.caseload import BadCursorError, view_read
    from complaints.clock import add_working_days, received_on
    from complaints.console.views import caseload_row
    from complaints.models import CaseStatus
    from complaints.procedures import load_procedures
    from complaints.service.staff.caseload import (
        DUE_SOON_WORKING_DAYS,
        VIEW_NAMES,
        VIEWS,
        Filters,
        page_count_keys,
    )

    staff = signed.staff
    front_door_only = staff.roles == frozenset({"front_door"})
    allowed_views = ["urgent"] if front_door_only else list(VIEWS)
    procedures = load_procedures()
    counts = console.store.caseload_counts(page_count_keys(staff.email, procedures, (1, 2, 3)))
    # Signing in lands on the person's own cases, or the team's when they own none yet (a
    # new complaint is unassigned); the front door lands on the urgent cases.
    default = "urgent" if front_door_only else ("mine" if counts.owner(staff.email) else "team")
    view = request.query.get("view") or default
    if view not in allowed_views:
        view = allowed_views[0]
    try:
        stage = int(request.query["stage"]) if request.query.get("stage") else None
        status = CaseStatus(request.query["status"]) if request.query.get("status") else None
    except ValueError:
        stage, status = None, None
    procedure = request.query.get("procedure") or None
    if procedure not in procedures:
        procedure = None
    filters = Filters(stage=stage, procedure=procedure, status=status)
    today = received_on(console.business_now())
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    read = view_read(view, filters, staff.email, today, soon)  # type: ignore[arg-type]
    try:
        page = console.store.caseload_page(read, request.query.get("after"))
    except BadCursorError:
        page = console.store.caseload_page(read, None)
    figures = {
        "mine": counts.owner(staff.email),
        "unassigned": counts.owner(None),
        "team": counts.active(),
        "waiting": counts.get("waiting"),
        "on_hold": counts.status("on_hold"),
        "urgent": counts.get("urgent#active"),
        "closed": counts.status("closed"),
    }
    for ranged in ("overdue", "due_soon"):
        if ranged in allowed_views:
            figures[ranged] = console.store.count_in_range(
                view_read(ranged, Filters(), staff.email, today, soon)
            )

    def href(name: str, **more: str) -> str:
        query = {"view": name, **{k: v for k, v in more.items() if v}}
        return "/staff/?" + urlencode(query)

    tabs = [
        {
            "name": VIEW_NAMES[v],  # type: ignore[index]
            "href": href(v),
            "current": v == view,
            "count": figures.get(v, 0),
        }
        for v in allowed_views
    ]
    kept = {
        "stage": str(stage or ""),
        "procedure": procedure or "",
        "status": status.value if status else "",
    }

    def options(values: list[tuple[str, str]], chosen: str) -> list[dict[str, Any]]:
        return [{"value": "", "text": "Any"}] + [
            {"value": v, "text": t, "selected": v == chosen} for v, t in values
        ]

    stage_options = options(
        [(str(n), f"Stage {n} ({counts.stage(n)})") for n in (1, 2, 3)], kept["stage"]
    )
    procedure_options = options(
        [(p.id, f"{p.name} ({counts.procedure(p.id)})") for p in procedures.values()],
        kept["procedure"],
    )
    from complaints.console.views import STATUS_TAGS

    status_options = options(
        [(s, f"{t} ({counts.status(s)})") for s, (t, _) in STATUS_TAGS.items()], kept["status"]
    )
    words = {
        "stage": lambda v: f"Stage {v}",
        "procedure": lambda v: procedures[v].name,
        "status": lambda v: STATUS_TAGS[v][0],
    }
    selected = [
        {
            "text": words[name](value),
            "href": href(view, **{k: v for k, v in kept.items() if k != name}),
        }
        for name, value in kept.items()
        if value
    ]
    return _page(
        200,
        "caseload.html",
        signed,
        nav="caseload",
        view=view,
        view_name=VIEW_NAMES[view],  # type: ignore[index]
        tabs=tabs,
        filterable=not front_door_only,
        selected=selected,
        clear_href=href(view),
        stage_options=stage_options,
        procedure_options=procedure_options,
        status_options=status_options,
        rows=[caseload_row(c, today) for c in page.cases],
        sorted_by_due=read.index in ("ByOwner", "ByDue"),
        next_href=href(view, after=page.cursor or "", **kept) if page.cursor else None,
        previous_href=href(view, **kept) if request.query.get("after") else None,
    )


def case_page(console: Console, request: Request, signed: Signed, reference: str) -> Response:
    from complaints.clock import received_on
    from complaints.console import views
    from complaints.console.forms import FORMS
    from complaints.dates import long_date
    from complaints.procedures import get_procedure
    from complaints.service.deadlines import overdue_since
    from complaints.service.lifecycle.table import rule
    from complaints.service.staff.permissions import actions_for, can_read_access_log

    case = _load(console, signed, reference)
    _log(console, signed, case.reference, "viewed", "case page")
    today = received_on(console.business_now())
    procedure = get_procedure(case.procedure)
    text, css = views.STATUS_TAGS[case.status.value]
    late = overdue_since(case, today)
    done_action = request.query.get("done")
    done = None
    if done_action == "recorded":
        done = f"Complaint recorded: reference {case.reference}."
    elif done_action:
        from complaints.service.lifecycle import Action

        try:
            done = f"Done: {rule(Action(done_action)).label}."
        except ValueError:
            done = None
    return _page(
        200,
        "case.html",
        signed,
        nav="caseload",
        case=case,
        done=done,
        procedure_name=procedure.name,
        stage_name=procedure.stage(case.stage_number()).name,
        status_text=text,
        status_class=css,
        overdue=f"it was due {long_date(late)}" if late else None,
        actions=[
            {"label": rule(a).label, "href": f"/staff/cases/{case.reference}/{a.value}"}
            for a in actions_for(signed.staff, case)
            if FORMS[a].ready(case)
        ],
        access_href=f"/staff/cases/{case.reference}/access"
        if can_read_access_log(signed.staff)
        else None,
        deadlines=views.deadlines(case, today),
        complaint_rows=views.complaint_rows(case),
        person_rows=views.person_rows(case),
        child_rows=views.child_rows(case),
        stages=views.stage_views(case),
        recommendations=views.recommendation_views(case),
        timeline=views.timeline(console.store.events(case.reference)),
    )


def access_log(console: Console, signed: Signed, reference: str) -> Response:
    from complaints.console.views import access_rows
    from complaints.service.staff.permissions import can_read_access_log, require

    require(can_read_access_log(signed.staff))
    case = _load(console, signed, reference)
    _log(console, signed, case.reference, "viewed", "access log")
    return _page(
        200,
        "access.html",
        signed,
        nav="caseload",
        reference=case.reference,
        entries=access_rows(console.store.access_entries(case.reference)),
    )


def action_page(
    console: Console, request: Request, signed: Signed, reference: str, name: str
) -> Response:
    from complaints.console.app import not_found
    from complaints.console.forms import FORMS, AnswerError, Shown, read_answers
    from complaints.service.casework import CaseNotFoundError, StaleCaseError, change_case
    from complaints.service.lifecycle import Act, Action, Transition, TransitionError
    from complaints.service.lifecycle.table import rule
    from complaints.service.staff.permissions import require_action

    try:
        action = Action(name)
    except ValueError:
        return not_found(signed)
    from complaints.console import casework

    case = _load(console, signed, reference)
    require_action(signed.staff, case, action)  # the role may take it at all: else 404
    if action is Action.MARK_LETTER_POSTED:  # each letter has its own form
        if request.method != "GET":
            return not_found(signed)
        return casework.case_letters(console, signed, case)
    form = FORMS[action]
    shown = Shown(form, case, request.form if request.method == "POST" else {})
    context: dict[str, Any] = {
        "case": case,
        "label": rule(action).label,
        "button": form.button or rule(action).label,
        "action_href": f"/staff/cases/{case.reference}/{action.value}",
        "shown": shown,
        "errors": [],
        "nav": "caseload",
    }
    if action is Action.EXPORT:
        context["button_name"], context["button_value"] = "format", "html"
        context["extra_buttons"] = [
            {"text": "Export the case file as JSON", "name": "format", "value": "json"}
        ]
    if action is Action.RESPOND:
        extras = casework.respond_extras(console, request, case, context)
        if extras is not None:  # drafting or previewing the letter: nothing saved
            if request.method != "POST":
                _log(console, signed, case.reference, "viewed", f"{action.value} form")
            return _page(200, "action.html", signed, **extras)
    if request.method != "POST":
        _log(console, signed, case.reference, "viewed", f"{action.value} form")
        return _page(200, "action.html", signed, **context)
    if action is Action.EXPORT:
        try:
            read_answers(form, case, request.form)
            return casework.export(console, request, signed, case)
        except AnswerError as error:
            shown.errors = error.errors
            context["errors"] = [{"text": m, "href": f"#{f}"} for f, m in error.errors]
            return _page(200, "action.html", signed, **context)
        except TransitionError as error:
            context["errors"] = [{"text": str(error), "href": "#purpose"}]
            return _page(200, "action.html", signed, **context)
    try:
        values = read_answers(form, case, request.form)
    except AnswerError as error:
        shown.errors = error.errors
        context["errors"] = [{"text": m, "href": f"#{f}"} for f, m in error.errors]
        return _page(200, "action.html", signed, **context)
    if action is Action.NEW_LINK:
        from complaints.service.tokens import new_token

        values["_token"] = new_token()
    present = console.business_now()
    act = Act(signed.staff.name, present, present)

    def change(current: Case) -> Transition:
        require_action(signed.staff, current, action)  # again, on the case as it is now
        return form.apply(current, act, values)

    try:
        change_case(console.store, case.reference, change, present, deliver=console.deliver)
    except TransitionError as error:
        first = form.questions[0].name if form.questions else "main-content"
        if form.questions and form.questions[0].kind == "date":
            first += "-day"
        shown.errors = []
        context["errors"] = [{"text": str(error), "href": f"#{first}"}]
        return _page(200, "action.html", signed, **context)
    except (CaseNotFoundError, StaleCaseError) as error:
        context["errors"] = [{"text": str(error), "href": "#main-content"}]
        return _page(200, "action.html", signed, **context)
    _log(console, signed, case.reference, "acted", action.value)
    return redirect(f"/staff/cases/{case.reference}?" + urlencode({"done": action.value}))


# ---- staff (managers) --------------------------------------------------------------------


def people(console: Console, request: Request, signed: Signed) -> Response:
    from complaints.service.staff.permissions import ROLE_NAMES, can_manage_staff, require

    require(can_manage_staff(signed.staff))
    from complaints.service.staff.caseload import owners_count_keys

    members = console.cognito.staff()
    counts = console.store.caseload_counts(owners_count_keys(m.email for m in members))
    listed = [
        {
            "username": m.username,
            "name": m.name,
            "email": m.email,
            "enabled": m.enabled,
            "roles": ", ".join(ROLE_NAMES.get(g, g) for g in m.groups),
            "cases": counts.owner(m.email),
        }
        for m in members
    ]
    done = request.query.get("done")
    return _page(
        200,
        "people.html",
        signed,
        nav="people",
        people=listed,
        federated=console.federated,
        done=done if done in DONE_WORDS.values() else None,
    )


DONE_WORDS = {
    "added": "They have been emailed a temporary password.",
    "removed": "They can no longer sign in.",
    "reassigned": "Their cases have been reassigned.",
}


def add_person(console: Console, request: Request, signed: Signed) -> Response:
    from complaints.adapters.cognito import CognitoError
    from complaints.service.staff.permissions import ROLE_NAMES, ROLES, can_manage_staff, require
    from complaints.text import plain_text

    require(can_manage_staff(signed.staff) and not console.federated)
    values = {k: plain_text(request.value(k)) for k in ("name", "email", "username", "role")}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        from email_validator import EmailNotValidError, validate_email

        if not values["name"]:
            errors.append(("name", "Enter their full name"))
        try:
            values["email"] = validate_email(values["email"], check_deliverability=False).normalized
        except EmailNotValidError:
            errors.append(("email", "Enter their work email address, like name@example.gov.uk"))
        username = values["username"] or values["email"].split("@")[0]
        if not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
            errors.append(("username", "Use letters, numbers, dots, hyphens and underscores only"))
        if values["role"] not in ROLES:
            errors.append(("role", "Select their role"))
        if not errors:
            try:
                console.cognito.add_staff(username, values["name"], values["email"], values["role"])
            except CognitoError as error:
                words = (
                    "That username is taken"
                    if error.code == "UsernameExistsException"
                    else "Adding them did not work. Try again."
                )
                errors.append(("username", words))
            else:
                return redirect("/staff/people?" + urlencode({"done": DONE_WORDS["added"]}))
    by_field = dict(errors)
    inputs = [
        {
            "name": "name",
            "label": "Full name",
            "kind": "text",
            "value": values["name"],
            "hint": None,
            "error": by_field.get("name"),
        },
        {
            "name": "email",
            "label": "Work email address",
            "kind": "email",
            "value": values["email"],
            "hint": None,
            "error": by_field.get("email"),
        },
        {
            "name": "username",
            "label": "Username",
            "kind": "text",
            "value": values["username"],
            "hint": "Leave blank to use the first part of their email address.",
            "error": by_field.get("username"),
        },
        {
            "name": "role",
            "label": "Role",
            "kind": "radios",
            "items": [
                {"value": r, "text": ROLE_NAMES[r], "checked": values["role"] == r} for r in ROLES
            ],
            "error": by_field.get("role"),
        },
    ]
    return _page(
        200,
        "people_form.html",
        signed,
        nav="people",
        heading="Add a member of staff",
        paragraphs=[
            "They are emailed a temporary password. At their first sign-in they choose their "
            "own and set up an authenticator app."
        ],
        action_href="/staff/people/add",
        inputs=inputs,
        button="Add them",
        warning=False,
        errors=[{"text": m, "href": f"#{f}"} for f, m in errors],
    )


def person_change(
    console: Console, request: Request, signed: Signed, username: str, change: str
) -> Response:
    from complaints.console.app import not_found
    from complaints.service.staff.permissions import can_manage_staff, require

    require(can_manage_staff(signed.staff))
    member = next((m for m in console.cognito.staff() if m.username == username), None)
    if member is None:
        return not_found(signed)
    errors: list[tuple[str, str]] = []
    new_owner = request.value("owner").strip()
    if request.method == "POST":
        if change == "remove":
            if console.federated or member.username == signed.staff.username:
                return not_found(signed)
            console.cognito.remove_staff(member.username)
            return redirect("/staff/people?" + urlencode({"done": DONE_WORDS["removed"]}))
        moved, problems = reassign_all(console, signed, member.email, new_owner)
        if problems or moved is None:
            errors.append(("owner", problems or "Enter the new owner's work email address"))
        else:
            return redirect("/staff/people?" + urlencode({"done": DONE_WORDS["reassigned"]}))
    if change == "remove":
        return _page(
            200,
            "people_form.html",
            signed,
            nav="people",
            heading=f"Remove {member.name}",
            paragraphs=[
                "They will no longer be able to sign in, and are signed out now. Their account "
                "is kept for the record.",
                "Reassign their cases first.",
            ],
            action_href=f"/staff/people/{username}/remove",
            inputs=[],
            button="Remove them",
            warning=True,
            errors=[],
        )
    return _page(
        200,
        "people_form.html",
        signed,
        nav="people",
        heading=f"Reassign all of {member.name}'s cases",
        paragraphs=[
            "Every open case they own moves to the new owner at once, each with an event in "
            "its timeline."
        ],
        action_href=f"/staff/people/{username}/reassign",
        inputs=[
            {
                "name": "owner",
                "label": "New owner's work email address",
                "kind": "email",
                "value": new_owner,
                "hint": None,
                "error": dict(errors).get("owner"),
            }
        ],
        button="Reassign their cases",
        warning=False,
        errors=[{"text": m, "href": f"#{f}"} for f, m in errors],
    )


def reassign_all(
    console: Console, signed: Signed, leaver: str, new_owner: str
) -> tuple[int | None, str | None]:
    """Every case the leaver owns, assigned to ``new_owner`` (each its own change, through
    the lifecycle, so each is checked and recorded); the number moved, or a refusal."""
    from complaints.service.casework import change_case
    from complaints.service.lifecycle import Act, Action, TransitionError, assign
    from complaints.service.staff.permissions import require_action

    if not new_owner:
        return None, None
    moved = 0
    for case in console.store.owned_by(leaver):
        require_action(signed.staff, case, Action.ASSIGN)
        present = console.business_now()
        act = Act(signed.staff.name, present, present)
        try:
            change_case(
                console.store,
                case.reference,
                lambda current, act=act: assign(current, new_owner, act),  # type: ignore[misc]
                present,
                deliver=console.deliver,
            )
        except TransitionError as error:
            return moved, str(error)
        _log(console, signed, case.reference, "acted", "assign (reassigned a leaver's cases)")
        moved += 1
    return moved, None
