"""The OpenAPI 3.1 document of the HTTP API (``/api/*``), made from the resolver in
``complaints.handlers.api``.

- ``routes``: what each route answers (summary, operation id, every status it can return),
  passed to the route decorators. Plain dicts: the handler's cold import stays small.
- ``bodies``: the bodies the handler writes by hand (problems, status pages), as pydantic
  models, for their JSON Schemas.
- ``document``: the resolver's document plus the request bodies, the ``token`` parameter and
  the schemas the routes name.
- ``openapi.json``: the committed document. ``make openapi`` (``python -m complaints.openapi``)
  rewrites it; ``tests/unit/test_openapi.py`` fails when it is out of date.

Nothing here is imported at run time except ``routes``.
"""
