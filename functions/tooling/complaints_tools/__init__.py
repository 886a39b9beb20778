"""The tools around the complaints system: what people and machines use to run, build and look
after it, but never what Lambda runs.

- ``cli``: the staff and ops command line (``complaints``);
- ``local``: the embedded local stack of ``make run`` (moto, the guide, the real handlers);
- ``demo``: a synthetic year of complaints, made by the real lifecycle;
- ``sitegen``: the guide's snippets, generated from the procedure data and council settings;
- ``reports``: the annual report as published in the guide (tables, charts, small numbers);
- ``openapi``: the API's OpenAPI document, built from its routes;
- ``infra_template``: reading ``template.yaml`` for the local stack and the checks.

Everything here may import the runtime package (``complaints``); nothing in ``complaints``
imports from here (``tests/unit/test_layout.py``).
"""
