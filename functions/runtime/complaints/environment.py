"""The environment a function runs in, read once into one typed model.

Every setting the code takes from the environment is here, with the name ``template.yaml``
gives it; the adapters and the composition root (``complaints.wiring``) read this model, never
``os.environ``. It is parsed once for each set of values (on first use, not at import): in
Lambda, once; the tests, the local stack and the command line, which point the process at
another stack, get the new values without having to say so.

Two readings stay outside on purpose: the local clock's file (``complaints.clock``, moved while
the stack runs) and the council settings file (``complaints.settings``, data, not wiring).
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field


class AwsCalls(BaseModel):
    """How long one AWS call may take: its tries, each connecting and reading within these
    seconds. Each function sets them so the worst case fits inside its own timeout
    (``tests/infra/test_call_budgets.py``); the defaults suit the command line."""

    model_config = ConfigDict(frozen=True)

    connect_seconds: float = Field(3.0, gt=0, le=60)
    read_seconds: float = Field(10.0, gt=0, le=300)
    tries: int = Field(4, ge=1, le=10)

    def worst_case_seconds(self) -> float:
        """Every try timing out, with standard-mode backoff between them (at most 2^n s)."""
        backoff = sum(min(20.0, 2.0**n) for n in range(self.tries - 1))
        return self.tries * (self.connect_seconds + self.read_seconds) + backoff


class Environment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    table_name: str | None = Field(None, alias="TABLE_NAME")
    sender_email: str | None = Field(None, alias="SENDER_EMAIL")
    ses_configuration_set: str | None = Field(None, alias="SES_CONFIGURATION_SET")
    public_base_url: str | None = Field(None, alias="PUBLIC_BASE_URL")
    staff_case_url: str | None = Field(None, alias="STAFF_CASE_URL")
    schedule_group: str | None = Field(None, alias="SCHEDULE_GROUP")
    checks_function_arn: str | None = Field(None, alias="CHECKS_FUNCTION_ARN")
    scheduler_role_arn: str | None = Field(None, alias="SCHEDULER_ROLE_ARN")
    scheduler_dead_letters_arn: str | None = Field(None, alias="SCHEDULER_DLQ_ARN")
    delivery_queue_url: str | None = Field(None, alias="DELIVERY_QUEUE_URL")
    # GOV.UK Notify (council.yaml's ``sender: notify``): the secrets' ARNs, never their values
    notify_api_key_secret: str | None = Field(None, alias="NOTIFY_API_KEY_SECRET")
    notify_callback_secret: str | None = Field(None, alias="NOTIFY_CALLBACK_SECRET")
    notify_api_url: str = Field("https://api.notifications.service.gov.uk", alias="NOTIFY_API_URL")
    aws_endpoint: str | None = Field(None, alias="COMPLAINTS_AWS_ENDPOINT")
    aws_region: str | None = Field(None, alias="AWS_REGION")
    aws_default_region: str | None = Field(None, alias="AWS_DEFAULT_REGION")
    metrics_namespace: str = Field("Complaints", alias="POWERTOOLS_METRICS_NAMESPACE")
    call_connect_seconds: float | None = Field(None, alias="AWS_CALL_CONNECT_SECONDS")
    call_read_seconds: float | None = Field(None, alias="AWS_CALL_READ_SECONDS")
    call_tries: int | None = Field(None, alias="AWS_CALL_TRIES")
    # the staff console
    user_pool_id: str | None = Field(None, alias="USER_POOL_ID")
    user_pool_client_id: str | None = Field(None, alias="USER_POOL_CLIENT_ID")
    # federation (optional, deployed only): the pool's domain and the identity provider's name
    auth_domain: str | None = Field(None, alias="STAFF_AUTH_DOMAIN")
    identity_provider: str | None = Field(None, alias="STAFF_IDENTITY_PROVIDER")

    @property
    def region(self) -> str:
        return self.aws_region or self.aws_default_region or "eu-west-2"

    @property
    def secure_cookies(self) -> bool:
        """Over https (every deployed stack) cookies are ``Secure`` with the ``__Host-``
        prefix; the local stack runs on plain http."""
        return not (self.public_base_url or "").startswith("http://")

    @property
    def aws_calls(self) -> AwsCalls:
        given = {
            "connect_seconds": self.call_connect_seconds,
            "read_seconds": self.call_read_seconds,
            "tries": self.call_tries,
        }
        return AwsCalls.model_validate({k: v for k, v in given.items() if v is not None})

    def required(self, value: str | None, name: str) -> str:
        """A setting the caller cannot work without: a plain error naming it when unset."""
        if not value:
            raise MissingSettingError(f"{name} is not set in this function's environment")
        return value


class MissingSettingError(LookupError):
    """A setting the code needs is not in the environment (a deployment mistake)."""


_NAMES = tuple(str(field.alias) for field in Environment.model_fields.values())


@lru_cache(maxsize=8)
def _parsed(values: tuple[tuple[str, str], ...]) -> Environment:
    return Environment.model_validate({name: value for name, value in values if value.strip()})


def environment() -> Environment:
    """This process's environment (a handful of lookups; parsed once per set of values)."""
    return _parsed(tuple((name, os.environ.get(name, "")) for name in _NAMES))


def forget() -> None:
    """Drop every parsed environment (a test that wants to count the parsing)."""
    _parsed.cache_clear()
