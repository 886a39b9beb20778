"""A synthetic year of complaints, so a new user can see the reports, charts and case
histories at once.

Shaped like a published council annual report (``shared/seeds``: 309 complaints in a year, 26
from children, 8 of them with formal advocacy, about 4% escalated, about 4 in 10 leading to
corrective action, no Ombudsman investigation): about 300 statutory complaints plus a few
triaged to the corporate procedure, most answered in time, some extended, a few put on hold
or late, a few still overdue; some escalated (a few late, a few after the council missed
stage 1), some to a review panel with recommendations, a few to the Ombudsman; a few about
something more than 12 months before, and every complaint from someone outside the listed
groups decided for sufficient interest.

Made as real complaints are: each case is a ``Submission`` turned into a case by intake's
``build_case`` when it is received, then moved only by the lifecycle's transitions, at the
simulated moment of each action, with the escalation checks run when they fall due (so
reminders and overdue alerts appear as they would). Its audit trail is exactly what those
produced; no email is sent.

- ``shape``: the fictional people, staff, words and rates;
- ``plan``: every choice for one case, drawn from its own random stream;
- ``play``: the plan played through the lifecycle and the checks;
- ``year``: a financial year's arrivals (``play_year``, ``generate_year``).

Pure and deterministic: the same ``year``, ``seed`` and ``today`` give the same cases and
events, and a case keeps its reference and story as ``today`` moves on. Names come only from
an obviously fictional list, email addresses use the reserved ``example.org`` domain, and
every case carries ``demo=True`` so a report built from it says so.
"""

from __future__ import annotations

from complaints_tools.demo.play import DemoCase
from complaints_tools.demo.shape import FIRST_NAMES, STAFF, SURNAMES
from complaints_tools.demo.year import generate_year, play_year

__all__ = ["FIRST_NAMES", "STAFF", "SURNAMES", "DemoCase", "generate_year", "play_year"]
