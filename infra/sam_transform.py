"""Run the AWS SAM transform on ``template.yaml`` offline, as CloudFormation would on deploy.

``sam validate`` needs AWS credentials; the translator itself does not, given a region and a
managed-policy map. The template uses no AWS managed policies (its roles are written out), so
the map is empty and nothing is looked up.

    python infra/sam_transform.py template.yaml build/infra/template.json
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions" / "runtime"), str(ROOT / "functions" / "tooling")]

from complaints_tools.infra_template import load_template  # noqa: E402

REGION = "eu-west-2"
# Values for the parameters that have no default: what a council would type at `--guided`.
EXAMPLE_PARAMETERS: dict[str, Any] = {
    "AlertEmail": "alerts@example.gov.uk",
    "SesIdentity": "example.gov.uk",
    "SenderEmail": "childrens.complaints@example.gov.uk",
}
# The pseudo parameters CloudFormation's SAM transform knows (the translator adds the same two
# from the session). The stack's name and account stay intrinsics for CloudFormation to fill:
# resolving them here would leave `Fn::Sub` with nothing to substitute (the layer's name).
PSEUDO_PARAMETERS: dict[str, Any] = {"AWS::Region": REGION, "AWS::Partition": "aws"}


PACKAGED_CODE_URI = "s3://example-sam-artifacts/complaints.zip"
PACKAGED_CONTENT_URI = "s3://example-sam-artifacts/dependencies.zip"


def packaged(template: dict[str, Any]) -> dict[str, Any]:
    """A copy with local ``CodeUri`` and ``ContentUri`` paths replaced by S3 URIs, as
    ``sam package`` does."""
    result = copy.deepcopy(template)
    function_globals = result.get("Globals", {}).get("Function", {})
    if isinstance(function_globals.get("CodeUri"), str):
        function_globals["CodeUri"] = PACKAGED_CODE_URI
    for resource in result["Resources"].values():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(
            properties.get("CodeUri"), str
        ):
            properties["CodeUri"] = PACKAGED_CODE_URI
        if resource.get("Type") == "AWS::Serverless::LayerVersion" and isinstance(
            properties.get("ContentUri"), str
        ):
            properties["ContentUri"] = PACKAGED_CONTENT_URI
    return result


class _NoManagedPolicies:
    """The translator asks for AWS managed policy ARNs only if a function lists ``Policies``."""

    def load(self) -> dict[str, str]:
        return {}


def transform(template: dict[str, Any], parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """The CloudFormation template SAM would deploy (``Transform`` expanded)."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    values = {**EXAMPLE_PARAMETERS, **PSEUDO_PARAMETERS, **(parameters or {})}
    # A session with a region and no credentials: the translator only reads its region.
    session = boto3.session.Session(region_name=REGION)
    translator = Translator(None, Parser(), boto_session=session)
    policies = _NoManagedPolicies()
    result: dict[str, Any] = translator.translate(
        packaged(template),
        parameter_values=values,
        get_managed_policy_map=policies.load,
    )
    return result


def transform_file(path: Path, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    return transform(load_template(path), parameters)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = Path(argv[1]), Path(argv[2])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(transform_file(source), indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
