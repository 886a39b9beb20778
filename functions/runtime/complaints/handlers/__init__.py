"""Thin Lambda entry points: parse and shape, the service layer decides, ``complaints.wiring``
hands over the adapters.

- ``api``: the HTTP API (intake and the complainant's self-service), its routes in ``routes``
  and its pages (no-JavaScript answers) in ``pages``;
- ``outbox``: the table's stream, each email and schedule carried out once;
- ``checks``: the escalation checks, when a schedule fires and in the daily sweep.
"""
