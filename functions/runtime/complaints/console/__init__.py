"""The staff console (``/staff/``): server-rendered pages over the same service layer as the
command line (never a second copy of the rules).

- ``tokens``: Cognito ID tokens verified against the pool's JWKS;
- ``auth``: sign-in, the session behind the cookie, CSRF, renewal and sign-out;
- ``web``: requests, responses, cookies and security headers;
- ``render``: Jinja2 with the ``govuk-frontend-jinja`` macros (``templates/staff/``);
- ``forms``: one GOV.UK form page per action of the action table;
- ``pages``: one function per page; ``app`` routes to them.
"""
