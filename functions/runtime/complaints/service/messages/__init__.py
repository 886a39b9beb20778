"""What the system tells people, and how.

- ``notices``: what an email from the lifecycle or the checks is (``Notice``) and whom it goes
  to (the complainant, the case owner or the team, the escalation contacts);
- ``subjects``: each notice's subject line, and its context made readable (dates as words);
- ``render``: the emails themselves, rendered from the templates (text and HTML).

Import the modules themselves (``complaints.service.messages.render``): this package imports
nothing.
"""
