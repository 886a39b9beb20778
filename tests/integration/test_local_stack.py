"""The embedded local stack: built from template.yaml, and working end to end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from complaints.adapters.clients import client
from complaints_tools.infra_template import load_template
from complaints_tools.local.resources import TEMPLATE
from tests.integration.conftest import Stack
from tests.integration.helpers import valid_fields

BIN = Path(sys.executable).parent


def test_table_is_created_from_template_yaml(stack: Stack) -> None:
    defined = load_template(TEMPLATE)["Resources"]["ComplaintsTable"]["Properties"]
    dynamodb = client("dynamodb")
    table = dynamodb.describe_table(TableName=stack.resources.table_name)["Table"]
    assert table["KeySchema"] == defined["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(
        defined["AttributeDefinitions"], key=str
    )
    indexes = {i["IndexName"]: i["KeySchema"] for i in table["GlobalSecondaryIndexes"]}
    assert indexes == {i["IndexName"]: i["KeySchema"] for i in defined["GlobalSecondaryIndexes"]}
    assert table["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": defined["StreamSpecification"]["StreamViewType"],
    }
    ttl = dynamodb.describe_time_to_live(TableName=stack.resources.table_name)
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"
    assert stack.env["TABLE_NAME"] == stack.resources.table_name


def test_template_short_tags_are_read(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n  T:\n    Type: X\n    Properties:\n"
        "      A: !Ref B\n      C: !GetAtt D.Arn\n      E: !Sub '${AWS::StackName}-x'\n"
    )
    properties = load_template(path)["Resources"]["T"]["Properties"]
    assert properties == {
        "A": {"Ref": "B"},
        "C": {"Fn::GetAtt": ["D", "Arn"]},
        "E": {"Fn::Sub": "${AWS::StackName}-x"},
    }


# --- end to end: `python -m complaints_tools.local` in its own process --------------------------


@pytest.fixture
def running_stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>Guide</title><h1>Guide</h1>")
    (site / "404.html").write_text("<!doctype html><title>Not found</title>")
    state_dir = tmp_path / "state"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COMPLAINTS_"))},
        "PORT": "0",
        "COMPLAINTS_STAFF": "Test Officer",  # the audit trail names a person, never root
        "COMPLAINTS_SITE_DIR": str(site),
        "COMPLAINTS_LOCAL_STATE": str(state_dir),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "complaints_tools.local"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    state_file = state_dir / "stack.json"
    try:
        deadline = time.monotonic() + 60
        while not state_file.exists():
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "the local stack did not start"
            time.sleep(0.1)
        state = json.loads(state_file.read_text())
        yield {"process": process, "state": state, "env": env, "state_file": state_file}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if process.stdout:
            process.stdout.close()


def _post(url: str, body: bytes, content_type: str) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _cli(running: dict[str, Any], *args: str) -> Any:
    env = {**running["env"], "COMPLAINTS_LOCAL": "1"}
    done = subprocess.run(
        [str(BIN / "complaints"), *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_local_stack_end_to_end(running_stack: dict[str, Any]) -> None:
    state = running_stack["state"]
    site = state["site_url"]
    assert site.startswith("http://127.0.0.1:")
    assert state["endpoint"].startswith("http://127.0.0.1:")

    with urllib.request.urlopen(f"{site}/api/health", timeout=10) as response:  # noqa: S310
        assert json.load(response) == {"status": "ok"}
    with urllib.request.urlopen(f"{site}/", timeout=10) as response:  # noqa: S310
        assert b"Guide" in response.read()

    status, _, body = _post(
        f"{site}/api/complaints", json.dumps(valid_fields()).encode(), "application/json"
    )
    assert status == 201
    receipt = json.loads(body)
    form_fields = valid_fields(email="jo.carer@example.com", complainant_name="Jo Carer")
    status, headers, _ = _post(
        f"{site}/api/complaints",
        urlencode(form_fields).encode(),
        "application/x-www-form-urlencoded",
    )
    assert status == 303
    form_reference = headers["Location"].split("reference=")[1].split("&")[0]

    deadline = time.monotonic() + 30
    emails: list[dict[str, Any]] = []
    while time.monotonic() < deadline and len(emails) < 4:
        time.sleep(0.5)
        emails = _cli(running_stack, "emails")
    time.sleep(1.5)  # give a duplicate every chance to appear
    emails = _cli(running_stack, "emails")

    for reference, complainant in (
        (receipt["reference"], "sam.parent@example.com"),
        (form_reference, "jo.carer@example.com"),
    ):
        about = [e for e in emails if e["reference"] == reference]
        assert sorted(e["kind"] for e in about) == ["acknowledgement", "team_alert"]
        (ack,) = [e for e in about if e["kind"] == "acknowledgement"]
        assert ack["to"] == [complainant]
        assert reference in ack["subject"]
        assert receipt["respond_by"][:4] in ack["body"]
        assert f"{site}/complaint/progress?reference={reference}&token=" in ack["body"]
        (alert,) = [e for e in about if e["kind"] == "team_alert"]
        assert alert["to"] == ["childrens.complaints@example.gov.uk"]
    assert len(emails) == 4

    shown = _cli(running_stack, "show", receipt["reference"])
    assert shown["reference"] == receipt["reference"]
    assert shown["procedure"] == "children-act-1989"
    assert shown["stage"] == 1
    assert shown["status"] == "open"
    assert shown["respond_by"] == receipt["respond_by"]
    assert [(e["type"], bool(e["at"])) for e in shown["events"]] == [("received", True)]

    listed = _cli(running_stack, "list")
    assert sorted(case["reference"] for case in listed) == sorted(
        [receipt["reference"], form_reference]
    )

    process = running_stack["process"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    assert not running_stack["state_file"].exists()
