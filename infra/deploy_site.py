"""Publish the built guide to a deployed stack: sync it to the stack's bucket, then invalidate
CloudFront so the new pages show at once. Uses the caller's AWS credentials and region.

    COMPLAINTS_STACK=complaints-production python infra/deploy_site.py build/site

(``make deploy-site COMPLAINTS_STACK=...`` builds the guide first, then runs this.)
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Browsers and CloudFront may keep a page five minutes; each publish invalidates CloudFront.
CACHE_CONTROL = "public, max-age=300"
# CloudFront sends X-Content-Type-Options: nosniff, so a wrong type breaks a page: name them.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}


class PublishError(RuntimeError):
    """The stack or the built site is not what publishing needs."""


@dataclass(frozen=True)
class Published:
    uploaded: list[str]
    deleted: list[str]
    invalidation_id: str | None
    site_url: str


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def local_files(site_dir: Path) -> dict[str, Path]:
    """Every file of the built site by its bucket key (``guide/index.html``)."""
    return {
        path.relative_to(site_dir).as_posix(): path
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    stacks = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    return {item["OutputKey"]: item["OutputValue"] for item in stacks[0].get("Outputs", [])}


def _remote_etags(s3: Any, bucket: str) -> dict[str, str]:
    etags: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


def publish(site_dir: Path, stack: str, session: Any = None) -> Published:
    """Upload new and changed files, delete files the build no longer has, invalidate."""
    import boto3

    if not (site_dir / "index.html").is_file():
        raise PublishError(f"{site_dir}/index.html is missing: build the guide first (make site)")
    session = session or boto3.session.Session()
    outputs = stack_outputs(session.client("cloudformation"), stack)
    try:
        bucket, distribution = outputs["SiteBucketName"], outputs["DistributionId"]
    except KeyError as missing:
        raise PublishError(
            f"stack {stack} has no output {missing}: is it this project's stack?"
        ) from None

    s3 = session.client("s3")
    remote = _remote_etags(s3, bucket)
    files = local_files(site_dir)
    uploaded = [key for key, path in files.items() if remote.get(key) != _md5(path)]
    for key in uploaded:
        path = files[key]
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=content_type(path),
            CacheControl=CACHE_CONTROL,
        )
    deleted = sorted(set(remote) - set(files))
    for start in range(0, len(deleted), 1000):
        batch = [{"Key": key} for key in deleted[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})

    invalidation_id = None
    if uploaded or deleted:
        answer = session.client("cloudfront").create_invalidation(
            DistributionId=distribution,
            InvalidationBatch={
                "Paths": {"Quantity": 1, "Items": ["/*"]},
                "CallerReference": f"deploy-site-{time.time_ns()}",
            },
        )
        invalidation_id = answer["Invalidation"]["Id"]
    return Published(uploaded, deleted, invalidation_id, outputs.get("SiteUrl", ""))


def main(argv: list[str]) -> int:
    stack = os.environ.get("COMPLAINTS_STACK", "")
    if len(argv) != 2 or not stack:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        result = publish(Path(argv[1]), stack)
    except PublishError as error:
        print(f"deploy-site: {error}", file=sys.stderr)
        return 1
    print(
        f"{len(result.uploaded)} files uploaded, {len(result.deleted)} deleted"
        + (f", CloudFront invalidation {result.invalidation_id}" if result.invalidation_id else "")
        + f". The guide: {result.site_url}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
