"""The OpenAPI 3.1 document of the HTTP API (``/api/*``), made from its routes
(``complaints.handlers.routes``: what each route answers, passed to the handler's decorators),
without importing the handler.

- ``bodies``: the bodies the handler writes by hand (problems, status pages), as pydantic
  models, for their JSON Schemas.
- ``document``: the resolver's document plus the request bodies, the ``token`` parameter and
  the schemas the routes name.
- ``openapi.json``: the committed document. ``make openapi``
  (``python -m complaints_tools.openapi``) rewrites it; ``tests/unit/test_openapi.py`` fails
  when it is out of date.

Nothing here is imported at run time.
"""
