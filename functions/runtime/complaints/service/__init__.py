"""The service layer: the rules, pure (no boto3, no adapters: ``tests/unit/test_layout.py``).
The ports it needs are Protocols declared beside the rules that use them.

- ``intake`` (with ``triage``, ``references``, ``tokens``): a submission to a stored case;
- ``lifecycle``: the state machine, one module per group of transitions;
- ``deadlines``: every deadline of a stage, and whether it was met (overdue is derived);
- ``checks``: the escalation checks (plan, run, sweep);
- ``casework``: load, decide, save, send, for any change to a stored case;
- ``outbox``: what the outbox worker does with each item, once;
- ``messages``: who is told what, and the emails rendered;
- ``selfservice`` and ``case_view``: what the complainant and staff see;
- ``reports``: the annual report (reg 13) and the live backlog, exact.
"""
