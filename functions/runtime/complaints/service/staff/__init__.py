"""The staff console's rules, pure (no AWS, no HTTP): who may see and do what
(``permissions``), how long a signed-in session lasts and what a form must carry
(``sessions``), which cases a caseload page lists and how they are counted (``caseload``), and
what the access log records (``access``).

The console's handler asks these; the lifecycle still decides every change. Deny by default:
a role not named here sees nothing.
"""
