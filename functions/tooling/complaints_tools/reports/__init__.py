"""The regulation 13 annual report as published in the guide: the tables, the accessible SVG
charts, the Markdown page and its CSV files, with small numbers hidden so that no child can be
identified. The figures themselves come from ``complaints.service.reports`` (exact; staff
views and ``--json`` use them as they are)."""
