"""Reports: the regulation 13 annual report and the live backlog.

``annual`` and ``backlog`` compute the figures from ``Case`` objects (pure, no AWS), exact:
staff views and ``--json`` show them as they are. Publishing the annual report in the guide
(tables, charts, small numbers hidden) is tooling: ``complaints_tools.reports``.
"""

from __future__ import annotations

from complaints.service.reports.annual import AnnualReport, annual_report
from complaints.service.reports.backlog import Backlog, backlog

__all__ = ["AnnualReport", "Backlog", "annual_report", "backlog"]
