"""The escalation checks: the statutory clock that cannot be forgotten.

- ``plan``: which checks a case needs now (acknowledgement, reminders, deadlines, hold
  reviews, decisions, recommendations due), each with a stable id and its one-time schedule;
- ``run``: what a check does when it comes due (pure: the changes and emails, or nothing);
- ``sweep``: running every check due, when a schedule fires and in the daily sweep, through
  the ``ByDueDate`` index (its cost follows what is due, never the table).

Import the modules themselves (``complaints.service.checks.plan``): this package imports
nothing, so the lifecycle can use the planner without a cycle.
"""
