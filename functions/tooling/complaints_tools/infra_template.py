"""What the local stack and the tests take from ``template.yaml``, so they cannot drift from AWS.

``template.yaml`` is the one definition of the complaints table (keys, indexes, stream, TTL)
and of the headers CloudFront adds to every answer. This module reads it (CloudFormation's
short tags such as ``!Ref`` included) and returns:

- ``table_create_kwargs(name)``: the ``create_table`` arguments for ``ComplaintsTable``;
- ``table_ttl_attribute()``: the TTL attribute (``update_time_to_live`` after creating);
- ``security_headers()``: the response headers of the guide's CloudFront policy;
- ``response_headers_for(path)``: the headers the distribution's response-headers policy for
  that path adds (the first cache behaviour whose ``PathPattern`` matches, else the default
  one), each with its ``Override`` flag, so the local server answers as CloudFront does.

Used only outside Lambda (the template is not deployed with the code).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATE_FILE = Path(__file__).resolve().parents[3] / "template.yaml"
TABLE_LOGICAL_ID = "ComplaintsTable"
SITE_HEADERS_POLICY_LOGICAL_ID = "SiteResponseHeadersPolicy"
DISTRIBUTION_LOGICAL_ID = "SiteDistribution"


class TemplateError(ValueError):
    """``template.yaml`` is missing, or lacks what the local stack needs."""


def _cfn_loader() -> type[Any]:
    """A safe YAML loader that turns CloudFormation tags into their long (JSON) form."""
    import yaml  # lazy, like the other data loaders

    class Loader(yaml.SafeLoader):
        pass

    def construct(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        if tag_suffix == "Ref":
            return {"Ref": value}
        if tag_suffix == "GetAtt" and isinstance(value, str):
            return {"Fn::GetAtt": value.split(".", 1)}
        if tag_suffix == "Condition":
            return {"Condition": value}
        return {f"Fn::{tag_suffix}": value}

    Loader.add_multi_constructor("!", construct)
    return Loader


def load_template(path: Path = TEMPLATE_FILE) -> dict[str, Any]:
    """The template as plain data, intrinsic functions in their JSON form (``{"Ref": ...}``)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"{path.name}: file not found at {path}") from None
    document = yaml.load(text, Loader=_cfn_loader())  # noqa: S506 - a SafeLoader subclass
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise TemplateError(f"{path.name}: no Resources section")
    return document


@lru_cache(maxsize=4)
def _cached(path: Path) -> dict[str, Any]:
    return load_template(path)


def _resource_properties(logical_id: str, path: Path) -> dict[str, Any]:
    resource = _cached(path)["Resources"].get(logical_id)
    if not isinstance(resource, dict):
        raise TemplateError(f"{path.name}: no resource {logical_id}")
    properties = resource.get("Properties")
    if not isinstance(properties, dict):
        raise TemplateError(f"{path.name}: {logical_id} has no Properties")
    return properties


def _literal(value: Any, where: str) -> Any:
    """``value`` unchanged, or an error if it depends on the deployment (an intrinsic)."""
    if isinstance(value, dict):
        if any(key == "Ref" or key.startswith("Fn::") for key in value):
            raise TemplateError(f"template.yaml: {where} must be a literal for the local stack")
        return {key: _literal(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [_literal(item, f"{where}[{index}]") for index, item in enumerate(value)]
    return value


def create_table_request(properties: dict[str, Any], table_name: str) -> dict[str, Any]:
    """``dynamodb.create_table`` arguments from an ``AWS::DynamoDB::Table``'s properties.

    Encryption, point-in-time recovery and deletion protection are left to AWS: the local
    emulation has no use for them.
    """
    where = TABLE_LOGICAL_ID
    kwargs: dict[str, Any] = {
        "TableName": table_name,
        "BillingMode": _literal(properties["BillingMode"], f"{where}.BillingMode"),
        "KeySchema": _literal(properties["KeySchema"], f"{where}.KeySchema"),
        "AttributeDefinitions": _literal(
            properties["AttributeDefinitions"], f"{where}.AttributeDefinitions"
        ),
    }
    indexes = properties.get("GlobalSecondaryIndexes")
    if indexes:
        kwargs["GlobalSecondaryIndexes"] = _literal(indexes, f"{where}.GlobalSecondaryIndexes")
    stream = properties.get("StreamSpecification")
    if stream:
        view = _literal(stream["StreamViewType"], f"{where}.StreamSpecification")
        kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view}
    return kwargs


def table_create_kwargs(table_name: str, path: Path = TEMPLATE_FILE) -> dict[str, Any]:
    """``dynamodb.create_table`` arguments for ``ComplaintsTable``, as the template defines it."""
    return create_table_request(_resource_properties(TABLE_LOGICAL_ID, path), table_name)


def table_ttl_attribute(path: Path = TEMPLATE_FILE) -> str | None:
    """The table's TTL attribute name, or ``None`` when the template enables no TTL."""
    ttl = _resource_properties(TABLE_LOGICAL_ID, path).get("TimeToLiveSpecification")
    if not ttl or not ttl.get("Enabled"):
        return None
    return str(_literal(ttl["AttributeName"], f"{TABLE_LOGICAL_ID}.TimeToLiveSpecification"))


def _mapped(value: Any, path: Path) -> str:
    """Resolve ``!FindInMap`` against the template's Mappings (the only intrinsic used here)."""
    if isinstance(value, dict) and "Fn::FindInMap" in value:
        name, key, field = value["Fn::FindInMap"]
        mapped = _cached(path)["Mappings"][name][key][field]
        return " ".join(str(mapped).split())
    return str(_literal(value, SITE_HEADERS_POLICY_LOGICAL_ID))


@dataclass(frozen=True)
class PolicyHeader:
    """One header a CloudFront response-headers policy adds. ``override``: CloudFront replaces
    the origin's own value; otherwise it adds the header only when the origin sent none."""

    name: str
    value: str
    override: bool


def policy_headers(logical_id: str, path: Path = TEMPLATE_FILE) -> tuple[PolicyHeader, ...]:
    """The headers of the ``AWS::CloudFront::ResponseHeadersPolicy`` named ``logical_id``."""
    config = _resource_properties(logical_id, path)["ResponseHeadersPolicyConfig"]
    security = config.get("SecurityHeadersConfig", {})
    found: list[PolicyHeader] = []

    def add(name: str, value: str, setting: dict[str, Any]) -> None:
        found.append(PolicyHeader(name, value, bool(setting.get("Override", False))))

    if "ContentSecurityPolicy" in security:
        csp = security["ContentSecurityPolicy"]
        add("Content-Security-Policy", _mapped(csp["ContentSecurityPolicy"], path), csp)
    if "StrictTransportSecurity" in security:
        hsts = security["StrictTransportSecurity"]
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        if hsts.get("IncludeSubdomains"):
            value += "; includeSubDomains"
        if hsts.get("Preload"):
            value += "; preload"
        add("Strict-Transport-Security", value, hsts)
    if "ContentTypeOptions" in security:
        add("X-Content-Type-Options", "nosniff", security["ContentTypeOptions"])
    if "FrameOptions" in security:
        frame = security["FrameOptions"]
        add("X-Frame-Options", str(frame["FrameOption"]), frame)
    if "ReferrerPolicy" in security:
        referrer = security["ReferrerPolicy"]
        add("Referrer-Policy", str(referrer["ReferrerPolicy"]), referrer)
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        add(str(item["Header"]), _mapped(item["Value"], path), item)
    return tuple(found)


def security_headers(path: Path = TEMPLATE_FILE) -> dict[str, str]:
    """The headers CloudFront adds to the guide's responses (``SiteResponseHeadersPolicy``)."""
    return {h.name: h.value for h in policy_headers(SITE_HEADERS_POLICY_LOGICAL_ID, path)}


def _policy_id(behaviour: dict[str, Any], where: str) -> str:
    policy = behaviour.get("ResponseHeadersPolicyId")
    if not isinstance(policy, dict) or not isinstance(policy.get("Ref"), str):
        raise TemplateError(f"template.yaml: {where} has no ResponseHeadersPolicyId: !Ref ...")
    return str(policy["Ref"])


@lru_cache(maxsize=4)
def _behaviours(path: Path) -> tuple[tuple[str, str], ...]:
    """(path pattern, policy logical id) in CloudFront's order; the default behaviour last."""
    config = _resource_properties(DISTRIBUTION_LOGICAL_ID, path)["DistributionConfig"]
    ordered = [
        (str(b["PathPattern"]), _policy_id(b, f"CacheBehaviors {b.get('PathPattern')}"))
        for b in config.get("CacheBehaviors", [])
    ]
    default = _policy_id(config["DefaultCacheBehavior"], "DefaultCacheBehavior")
    return (*ordered, ("*", default))


def response_headers_for(request_path: str, path: Path = TEMPLATE_FILE) -> tuple[PolicyHeader, ...]:
    """What the distribution adds to the answer for ``request_path`` (e.g. ``/api/health``):
    the policy of the first cache behaviour whose ``PathPattern`` matches (CloudFront's ``*``
    matches any characters, ``/`` included), else the default behaviour's."""
    for pattern, policy in _behaviours(path):
        if fnmatchcase(request_path, pattern):
            return policy_headers(policy, path)
    raise TemplateError("template.yaml: no cache behaviour matched")  # the default matches all
