"""`make deploy-site`: the guide is synced to the stack's bucket and CloudFront is invalidated
(moto in-process: no AWS)."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest

from tests.infra.conftest import load_infra_script

pytestmark = pytest.mark.infra

STACK = "complaints-test"
BUCKET = "complaints-test-site"


@pytest.fixture(scope="module")
def deploy_site() -> ModuleType:
    return load_infra_script("deploy_site")


def _stack(session: boto3.session.Session) -> str:
    """A stack with the outputs deploy-site reads, and a distribution for the invalidation."""
    distribution = session.client("cloudfront").create_distribution(
        DistributionConfig={
            "CallerReference": "test",
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "site",
                        "DomainName": f"{BUCKET}.s3.eu-west-2.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
            },
        }
    )["Distribution"]["Id"]
    template = {
        "Resources": {
            "SiteBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": BUCKET}}
        },
        "Outputs": {
            "SiteBucketName": {"Value": {"Ref": "SiteBucket"}},
            "DistributionId": {"Value": distribution},
            "SiteUrl": {"Value": "https://d111111abcdef8.cloudfront.net/"},
        },
    }
    session.client("cloudformation").create_stack(
        StackName=STACK, TemplateBody=json.dumps(template)
    )
    return str(distribution)


def _site(root: Path) -> Path:
    (root / "guide").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "index.html").write_text("<h1>Complain</h1>", encoding="utf-8")
    (root / "guide" / "index.html").write_text("<h1>Guide</h1>", encoding="utf-8")
    (root / "assets" / "site.css").write_text("body{}", encoding="utf-8")
    (root / "assets" / "site.js").write_text("1", encoding="utf-8")
    return root


def _invalidations(session: boto3.session.Session, distribution: str) -> list[Any]:
    answer = session.client("cloudfront").list_invalidations(DistributionId=distribution)
    items: list[Any] = answer["InvalidationList"].get("Items", [])
    return items


def test_publish_syncs_and_invalidates(deploy_site: ModuleType, aws: Any, tmp_path: Path) -> None:
    distribution = _stack(aws)
    s3 = aws.client("s3")
    s3.put_object(Bucket=BUCKET, Key="old/index.html", Body=b"gone")
    site = _site(tmp_path / "site")

    first = deploy_site.publish(site, STACK, session=aws)

    assert sorted(first.uploaded) == [
        "assets/site.css",
        "assets/site.js",
        "guide/index.html",
        "index.html",
    ]
    assert first.deleted == ["old/index.html"]
    keys = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted(first.uploaded)
    page = s3.get_object(Bucket=BUCKET, Key="guide/index.html")
    assert page["Body"].read() == b"<h1>Guide</h1>"
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=300"
    assert s3.head_object(Bucket=BUCKET, Key="assets/site.css")["ContentType"].startswith(
        "text/css"
    )
    assert s3.head_object(Bucket=BUCKET, Key="assets/site.js")["ContentType"].startswith(
        "text/javascript"
    )
    assert first.invalidation_id
    assert len(_invalidations(aws, distribution)) == 1
    assert first.site_url.startswith("https://")

    unchanged = deploy_site.publish(site, STACK, session=aws)
    assert (unchanged.uploaded, unchanged.deleted, unchanged.invalidation_id) == ([], [], None)

    (site / "guide" / "index.html").write_text("<h1>Guide, revised</h1>", encoding="utf-8")
    changed = deploy_site.publish(site, STACK, session=aws)
    assert changed.uploaded == ["guide/index.html"]
    assert len(_invalidations(aws, distribution)) == 2


def test_publish_refuses_an_unbuilt_site(deploy_site: ModuleType, aws: Any, tmp_path: Path) -> None:
    _stack(aws)
    with pytest.raises(deploy_site.PublishError, match="make site"):
        deploy_site.publish(tmp_path, STACK, session=aws)


def test_publish_refuses_another_stack(deploy_site: ModuleType, aws: Any, tmp_path: Path) -> None:
    aws.client("cloudformation").create_stack(
        StackName="other",
        TemplateBody=json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}),
    )
    with pytest.raises(deploy_site.PublishError, match="SiteBucketName"):
        deploy_site.publish(_site(tmp_path / "site"), "other", session=aws)
