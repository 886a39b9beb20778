"""Reports: the regulation 13 annual report and the live backlog.

``annual`` and ``backlog`` compute the figures from ``Case`` objects (pure, no AWS);
``tables``, ``charts`` and ``publish`` turn the annual figures into Markdown, CSV and SVG.
"""

from __future__ import annotations

from complaints.service.reports.annual import AnnualReport, annual_report
from complaints.service.reports.backlog import Backlog, backlog

__all__ = ["AnnualReport", "Backlog", "annual_report", "backlog"]
