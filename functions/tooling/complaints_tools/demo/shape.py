"""What a demo year is made of: the obviously fictional people, the staff, the words they
write, and the rates that give the year its shape (``complaints_tools.demo``'s docstring says where
they come from). Constants only: the plan draws from them, nothing here draws."""

from __future__ import annotations

from complaints.submission import Relationship

STATUTORY = "children-act-1989"
CORPORATE = "corporate"
DEFAULT_SIZE = 300  # statutory complaints in a whole year
CORPORATE_SHARE = 0.1  # complaints triaged to the corporate procedure, per statutory one

# Obviously fictional people. Nobody is called "Placeholder".
FIRST_NAMES = ("Alex", "Sam", "Jo", "Charlie", "Robin", "Jamie", "Riley", "Frankie", "Kit", "Max")
SURNAMES = ("Example", "Sample", "Placeholder", "Testcase", "Madeup", "Fictional", "Dummy")
CONNECTIONS = ("Grandparent", "Aunt or uncle", "Older sibling", "Family friend", "Neighbour")

# Staff act on the cases and own them (notices would go to them, so they are addresses).
STAFF = (
    "demo.team.manager.a@example.org",
    "demo.team.manager.b@example.org",
    "demo.service.manager.c@example.org",
    "demo.complaints.officer.d@example.org",
)
MANAGERS = STAFF[:3]  # assign, decide and close (``data/actions.yaml``)
ROLE_HOLDERS: dict[str, tuple[str, ...]] = {
    "investigating_officer": ("Demo Investigator E", "Demo Investigator H"),
    "independent_person": ("Demo Independent Person F", "Demo Independent Person J"),
    "adjudicating_officer": ("Demo Senior Manager G", "Demo Senior Manager K"),
    "panel_chair": ("Demo Panel Chair L", "Demo Panel Chair M"),
    "reviewing_officer": ("Demo Reviewing Officer N", "Demo Reviewing Officer P"),
}

# Who complains (weights, per cent): about 8% children and young people, as in the seed.
RELATIONSHIP_WEIGHTS: tuple[tuple[Relationship, float], ...] = (
    (Relationship.CHILD_OR_YOUNG_PERSON, 7.0),
    (Relationship.CARE_LEAVER, 1.4),
    (Relationship.PARENT, 62.0),
    (Relationship.PARENTAL_RESPONSIBILITY, 5.0),
    (Relationship.SPECIAL_GUARDIAN, 3.0),
    (Relationship.FOSTER_CARER, 6.0),
    (Relationship.ADOPTION, 3.0),
    (Relationship.ADVOCATE, 2.0),
    (Relationship.OTHER, 10.6),
)
THEME_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("assessment", 30),
    ("communication", 25),
    ("delay", 12),
    ("staff_conduct", 10),
    ("care_planning", 8),
    ("contact", 6),
    ("placement", 4),
    ("information_sharing", 3),
    ("finance", 1),
    ("leaving_care", 1),
)
STAGE_1_OUTCOMES = (
    ("not_upheld", 50.0),
    ("partly_upheld", 25.0),
    ("upheld", 15.0),
    ("resolved", 10.0),
)
LATER_OUTCOMES = (("not_upheld", 45.0), ("partly_upheld", 35.0), ("upheld", 20.0))
OMBUDSMAN_OUTCOMES = (
    ("referred_back", 45.0),
    ("closed_after_initial_enquiries", 35.0),
    ("not_investigated", 12.0),
    ("no_fault", 5.0),
    ("fault_found", 3.0),
)
ACKNOWLEDGED_HOW = (("phone", 55.0), ("email", 30.0), ("letter", 8.0), ("meeting", 7.0))

DETAILS = "Demonstration complaint. Not a real person or a real complaint."
OUTCOME_SOUGHT = "Demonstration: an apology and a review of the decision."
SUMMARIES = (
    "Demo: the complainant says their views were not taken into account in an assessment.",
    "Demo: the complainant says calls and emails to the social worker went unanswered.",
    "Demo: the complainant disagrees with the contact arrangements set out in the plan.",
    "Demo: the complainant says a review meeting was cancelled without notice.",
)
CORRECTIVE_ACTIONS = (
    "Team briefing on explaining the reasons for an assessment",
    "Letter templates changed to explain the threshold for intervention",
    "Reminder to staff to return calls within the promised time",
    "Discreet return labels on printed letters",
    "Confidential papers kept in locked storage",
    "Care leavers' policies and procedures reviewed",
    "Contact arrangements written down and shared with the family",
)
LEARNING = (
    "Managing difficult conversations with parents when older children's views contributed to "
    "the decision that the threshold for intervention was met.",
    "Clear and detailed communication with prospective adopters about why an application did "
    "not go ahead.",
    "Keeping families' information confidential: discreet return labels and secure storage.",
    "Clear messages for parents about why an assessment has to be completed.",
    "Keeping policies and procedures for care leavers up to date and easy to find.",
)
EXTENSION_REASONS = {
    "complex": "Demo: several teams hold records the investigation needs.",
    "advocate_needed": "Demo: an advocate is being arranged for the young person.",
    "complainant_request": "Demo: the complainant asked for time to send more documents.",
}
HOLD_REASONS = {
    "court_proceedings": "Demo: care proceedings about the same matter are listed for hearing.",
    "police_investigation": "Demo: the police are investigating the same events.",
}
REASONS = {
    "late_complaint_accepted": (
        "Demo: the complainant was in hospital for most of the year and the records are kept."
    ),
    "late_complaint_refused": (
        "Demo: the staff involved have left and the records were not kept, so the complaint "
        "cannot now be considered fairly."
    ),
    "interest_accepted": "Demo: a grandparent who looks after the child every week.",
    "interest_refused": "Demo: no contact with the child for several years.",
    "child_views": "Demo: the child, aged 14, did not want this person involved.",
    "late_request_accepted": "Demo: the delay was explained by a stay in hospital.",
    "late_request_refused": "Demo: the complaint was answered in full and nothing new was raised.",
    "proceed": "Demo: the court is deciding a different question, so the complaint can go on.",
    "hold_goes_on": "Demo: the hearing has been adjourned; the hold goes on until it is heard.",
    "resumed": "Demo: the proceedings have ended.",
    "withdrawn": "Demo: the complainant says the matter has been sorted out with the team.",
    "accepted_action": "Demo: action plan agreed with the service manager.",
    "rejected": "Demo: already covered by a service review.",
    "remedy": "Demo: apology and a payment",
}

# Rates (per case, or per stage where it says so).
STAGE_TIMING = {1: (0.14, 0.07), 2: (0.35, 0.15)}  # per stage: share extended, share late
LATE_PANEL = 0.15  # stage 3: the panel meets after its deadline
ESCALATE = {1: 0.05, 2: 0.4}  # of answered stages not upheld or only partly upheld
LATE_REQUEST = 0.15  # of requests for the next stage: made after the window
LATE_REQUEST_ACCEPTED = 0.7
STALLED = 0.02  # complaints nobody answers: they show up as overdue
SKIP_AHEAD = 0.3  # of stalled complaints: the complainant asks for stage 2 over the delay
WITHDRAWN = 0.02
LATE_COMPLAINT = 0.02  # about a matter more than 12 months before (reg 9(2))
LATE_COMPLAINT_ACCEPTED = 0.8
SUFFICIENT_INTEREST_ACCEPTED = 0.9
SAYS_WHEN = 0.4  # of complaints made in time: the complainant says when it happened
HOLD = 0.02  # per stage 1 or 2: on hold while proceedings run
PROCEED = 0.015  # per stage 1 or 2: proceedings run, and the council decides to go on
OMBUDSMAN = 0.015
URGENT = 0.005  # of statutory complaints: a child said to be in danger now
CHILD_WANTS_ADVOCATE = 0.45
ADVOCATE_PROVIDED = 0.7  # of children who asked for one
COMPENSATION = 0.02  # of upheld or partly upheld stages
RECOMMENDATION_ACCEPTED = 0.85
RECOMMENDATION_DONE = 0.75
