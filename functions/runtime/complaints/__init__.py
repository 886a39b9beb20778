"""Children's social care complaints: what the Lambda functions run, and nothing else.

- the rules as data: ``data/procedures.yaml`` (every timescale, with its regulation),
  ``data/actions.yaml`` (which action is allowed in which status), ``data/council.yaml`` (the
  council's settings), read by ``procedures`` and ``settings``;
- the statutory clock (``clock``: working days, the one present), dates in words (``dates``),
  money (``money``) and plain text (``text``);
- the records (``models``) and what a person sends (``submission``);
- ``service``: the rules (intake, the lifecycle state machine, the escalation checks, the
  messages, the reports), pure, no boto3;
- ``adapters``: DynamoDB, SES and Scheduler, the only code that talks to AWS;
- ``handlers``: the thin Lambda entry points; ``wiring`` and ``environment``: where the
  adapters are made, once, from the function's environment.

The tools around it (command line, local stack, demo, guide generation, published reports) are
the ``complaints_tools`` package: nothing here imports from it. Importing this package does no
work: Lambda cold starts stay small.
"""
