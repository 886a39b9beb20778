"""Children's social care complaints: the statutory clock, intake, checks and reports.

Importing this package does no work: Lambda cold starts stay small.
"""
