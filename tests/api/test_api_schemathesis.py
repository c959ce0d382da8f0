"""Property-based tests generated from the OpenAPI document (schemathesis, in-process on the
Flask app): for every operation, valid and invalid parameter values, never a server error,
and every answer as documented (status code, content type, JSON schema); invalid values are
rejected.

The schema is built at import time by the same function that serves /api/openapi.json
(schemathesis' lazy fixture loader does not work with pytest 9), and
``test_the_tested_document_is_the_served_one`` checks that the two are the same document.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from govkg.config import Config
from govkg.queries import QueryLibrary
from server.api import openapi

SERVER = "http://localhost"
DOCUMENT = openapi(QueryLibrary.from_folder(), Config(), SERVER)
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_tested_document_is_the_served_one(client, app):
    served = client.get("/api/openapi.json").get_json()
    assert app.extensions["govkg"].config == Config(store=app.extensions["govkg"].config.store, query_workers=2)
    assert served == openapi(QueryLibrary.from_folder(), Config(), SERVER)


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_conforms_to_its_description(case, app):
    case.call_and_validate(app=app, checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance, negative_data_rejection])
