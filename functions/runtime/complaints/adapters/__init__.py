"""Adapters: the only modules that talk to AWS (boto3), behind the ports the service layer
declares as Protocols.

- ``clients``: one boto3 client per service, made on first use, with the function's call budget;
- ``dynamo``: the complaints table, one module per aggregate (``keys`` is its layout);
- ``mailer``: SES; ``scheduler``: EventBridge Scheduler's one-time schedules;
- ``report_reads``: the indexed reads the reports need.
"""
