"""The embedded local stack: one process on 127.0.0.1 running what AWS runs.

- a moto server (the local AWS: DynamoDB and its stream, SES, Scheduler), with the resources
  of ``template.yaml``;
- the built guide at ``/`` and the real API handler at ``/api/*`` (API Gateway v2 events);
- a stream poller feeding the real outbox worker;
- a scheduler emulation firing due schedules into the escalation-check handler;
- the SES mailbox simulator (``simulator.py``: ``bounce@``, ``success@``, ``complaint@``
  ``simulator.amazonses.com``) putting SES's events through the template's rule onto the
  delivery queue, and a queue poller feeding the real delivery handler; with ``sender:
  notify`` in ``council.yaml``, a fake GOV.UK Notify (``fake_notify.py``) whose receipts reach
  the real callback route;
- a record of sent email and a state file under ``.local/`` for the CLI;
- the stack's one clock (``.local/clock.json``, moved forward by ``complaints checks run
  --now``) and its saved table (``.local/table.jsonl``): a restart resumes where the stack
  stopped, with the same cases and the same clock, unless it is started fresh.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from complaints import wiring
from complaints.adapters import clients
from complaints.adapters.keys import OUTBOX_STREAM_FILTER
from complaints.clock import CLOCK_FILE_ENV
from complaints_tools.local import clock as local_clock
from complaints_tools.local import mailbox, snapshot
from complaints_tools.local.embedded_scheduler import EmbeddedScheduler, moto_scheduler
from complaints_tools.local.invoke import load_handler
from complaints_tools.local.mirror import TableMirror, key_of
from complaints_tools.local.queues import QueuePoller
from complaints_tools.local.resources import prepare
from complaints_tools.local.restore import (
    Restored,
    check_the_keys,
    collector_paused,
    key_names,
    moto_table,
    recreate_schedules,
    restore_items,
    summarise,
)
from complaints_tools.local.schedules import SchedulerEmulator
from complaints_tools.local.server import serve
from complaints_tools.local.simulator import SesSimulator, rules_to_json
from complaints_tools.local.state import (
    DEAD_LETTERS_FILE,
    EMAILS_FILE,
    LOCAL_CREDENTIALS,
    REGION,
    StackState,
    remove_state,
    state_dir,
)
from complaints_tools.local.streams import StreamPoller

HOST = "127.0.0.1"  # never 0.0.0.0: the stack holds (test) personal data
STACK_NAME = "complaints-local"
DRAIN_SECONDS = 5.0  # on stopping, how long the outbox worker may finish what is queued


@dataclass
class LocalStack:
    site_dir: Path
    port: int = 8000
    state_directory: Path = field(default_factory=state_dir)
    poll_interval: float = 0.2
    scheduler_interval: float = 1.0
    fresh: bool = False  # start empty (``make run FRESH=1``) rather than resume
    notes: list[str] = field(default_factory=list)
    resumed: Restored | None = None  # what was restored (None: started empty)
    clock: local_clock.LocalClock | None = None  # the clock as the stack started
    staff_pool: Any = None  # the local Cognito pool and its demo users (local.staff)
    _moto: Any = None
    _mirror: TableMirror | None = None
    _http: ThreadingHTTPServer | None = None
    _notify: Any = None  # the fake GOV.UK Notify, with ``sender: notify``
    _threads: list[Any] = field(default_factory=list)
    _saved_env: dict[str, str | None] = field(default_factory=dict)

    @property
    def mirror(self) -> TableMirror:
        """What keeps ``.local/table.jsonl`` up to date (once started)."""
        assert self._mirror is not None
        return self._mirror

    @property
    def site_url(self) -> str:
        assert self._http is not None
        return f"http://{HOST}:{self._http.server_address[1]}"

    def _set_env(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self._saved_env.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        from complaints_tools.local import fast_tables

        fast_tables.install()  # filing a complaint stays quick however full the table is
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._moto = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
        self._moto.start()
        _, moto_port = self._moto.get_host_and_port()
        endpoint = f"http://{HOST}:{moto_port}"
        self._set_env({**LOCAL_CREDENTIALS, clients.ENDPOINT_ENV: endpoint})
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
            self._saved_env.setdefault(name, os.environ.pop(name, None))
        wiring.reset()

        from complaints.handlers.api import handler as api_handler
        from complaints.handlers.console import handler as console_handler

        self._http = serve(
            self.site_dir, api_handler, self.port, _other_routes(), console=console_handler
        )
        resources, env, notes = prepare(
            clients.client, stack_name=STACK_NAME, region=REGION, site_url=self.site_url
        )
        self.notes.extend(notes)
        from complaints_tools.infra_template import load_template
        from complaints_tools.local import staff

        self.staff_pool = staff.create_pool(
            clients.client("cognito-idp"), load_template(), STACK_NAME
        )
        env.update(staff.environment(self.staff_pool))
        env["STAFF_CASE_URL"] = f"{self.site_url}/staff/cases/{{reference}}"
        self._set_env(env)
        wiring.reset()  # the handlers' adapters read the stack's environment from here on

        self.state_directory.mkdir(parents=True, exist_ok=True)
        clock_file = local_clock.clock_path(self.state_directory)
        env[CLOCK_FILE_ENV] = str(clock_file)  # the CLI with --local reads the same clock
        self._set_env({CLOCK_FILE_ENV: str(clock_file)})
        emails = self.state_directory / EMAILS_FILE
        table_file = snapshot.table_path(self.state_directory)
        if self.fresh:
            local_clock.reset(clock_file)
            for record in (emails, self.state_directory / DEAD_LETTERS_FILE):
                record.write_text("", encoding="utf-8")
            snapshot.write(table_file, [])  # the old table is gone now, not at the first save
        else:
            emails.touch()  # kept: the emails sent before the restart
        self.clock = local_clock.read(clock_file)
        table = moto_table(resources.table_name, REGION)
        base: dict[str, str] = {}
        if not self.fresh:
            with collector_paused():
                saved = snapshot.read(table_file)  # refused plainly if it cannot be read
                if saved is not None:
                    base = self._restore(table, saved, table_file, env["SCHEDULE_GROUP"])
        simulator = SesSimulator(clients.client("sqs"), resources.event_rules, REGION)
        mailbox.install(clients.client("sesv2"), emails, simulator)
        self._start_notify(resources, env, emails)

        # The stream starts empty after the restore: the poller reads it from the start, and
        # only what is written from now on reaches the outbox worker.
        outbox = load_handler(resources.stream_handler)
        if outbox is None or resources.stream_arn is None or table.stream_shard is None:
            raise RuntimeError("the table's stream or its handler is missing")
        if "NEW" not in str(table.stream_specification.get("StreamViewType")):
            raise RuntimeError("the table's stream must carry new images to save the table")
        poller = StreamPoller(
            clients.client("dynamodbstreams"),
            resources.stream_arn,
            outbox,
            resources.stream_patterns or [OUTBOX_STREAM_FILTER],
            dead_letters=self.state_directory / DEAD_LETTERS_FILE,
            sqs=clients.client("sqs"),
            failure_queue_url=resources.stream_failure_queue,
            function_arn=resources.stream_function_arn,
            batch_size=resources.stream_batch_size,
            max_retries=resources.stream_max_retries,
            interval=self.poll_interval,
        )
        emulator = SchedulerEmulator(
            EmbeddedScheduler(moto_scheduler(env["SCHEDULE_GROUP"], REGION)),
            env["SCHEDULE_GROUP"],
            resources.function_handlers,
            interval=self.scheduler_interval,
        )
        self._mirror = TableMirror(table_file, lambda: table.stream_shard.items, base)
        http_thread = threading.Thread(
            target=self._http.serve_forever, name="http", kwargs={"poll_interval": 0.2}
        )
        queue_pollers = self._queue_pollers(resources)
        workers: list[Any] = [poller, emulator, *queue_pollers, self._mirror]
        for worker in workers:
            worker.start()
        http_thread.start()
        self._threads = [poller, emulator, *queue_pollers, http_thread]
        StackState(
            pid=os.getpid(),
            site_url=self.site_url,
            endpoint=endpoint,
            region=REGION,
            table_name=resources.table_name,
            emails_file=str(emails),
            environment={k: v for k, v in env.items() if not k.startswith("AWS_")},
            event_rules=rules_to_json(resources.event_rules),
            staff_users=self.staff_pool.users,
            totp_secret=self.staff_pool.totp_secret,
        ).write(self.state_directory)

    def _queue_pollers(self, resources: Any) -> list[QueuePoller]:
        """A poller per SQS event source of the template (the delivery queue's)."""
        sqs = clients.client("sqs")
        pollers = []
        for consumer in resources.queue_consumers:
            handler = load_handler(consumer.handler)
            if handler is None:
                continue
            arn = sqs.get_queue_attributes(QueueUrl=consumer.queue_url, AttributeNames=["QueueArn"])
            pollers.append(
                QueuePoller(
                    sqs,
                    consumer.queue_url,
                    arn["Attributes"]["QueueArn"],
                    handler,
                    batch_size=consumer.batch_size,
                    interval=self.poll_interval,
                )
            )
        return pollers

    def _start_notify(self, resources: Any, env: dict[str, str], emails: Path) -> None:
        """With ``sender: notify``: a fake GOV.UK Notify, its key in the stack's secret, and
        its receipts sent to the callback route with the stack's bearer token."""
        from complaints.settings import load_settings
        from complaints_tools.local.fake_notify import FakeNotify

        settings = load_settings()
        if settings.sender != "notify" or settings.notify is None:
            return
        secrets = clients.client("secretsmanager")
        token = secrets.get_secret_value(SecretId=env["NOTIFY_CALLBACK_SECRET"])["SecretString"]
        self._notify = FakeNotify(
            template_id=str(settings.notify.email_template_id),
            callback_url=f"{self.site_url}/api/delivery/notify",
            callback_token=str(token),
            mailbox=emails,
        ).start()
        secrets.put_secret_value(
            SecretId=env["NOTIFY_API_KEY_SECRET"], SecretString=self._notify.api_key
        )
        env["NOTIFY_API_URL"] = self._notify.url
        self._set_env({"NOTIFY_API_URL": self._notify.url})
        wiring.reset()
        self.notes.append(f"sender: notify, through a fake GOV.UK Notify on {self._notify.url}")

    def _restore(
        self, table: Any, saved: snapshot.Snapshot, table_file: Path, group: str
    ) -> dict[str, str]:
        """Put the saved items back and make their schedules again; returns the saved lines
        by item key (where the running copy of the table starts)."""
        problem = check_the_keys(table, saved.items)
        if problem:
            raise snapshot.refused(
                table_file, f"does not fit the table of template.yaml ({problem})"
            )
        try:
            restore_items(table, saved.items)
        except (TypeError, ValueError, AttributeError, IndexError, KeyError):
            raise snapshot.refused(table_file, "holds an item that is not DynamoDB JSON") from None
        from complaints.adapters.scheduler import Scheduler

        scheduler = Scheduler(group, scheduler=EmbeddedScheduler(moto_scheduler(group, REGION)))
        made = recreate_schedules(saved.items, scheduler)
        self.resumed = summarise(saved.items, made)
        names = key_names(table)
        pairs = zip(saved.items, saved.lines, strict=True)
        return {key_of(item, names): line for item, line in pairs}

    def stop(self) -> None:
        """Stop everything started, in reverse order, save the table, and forget the state
        file."""
        remove_state(self.state_directory, os.getpid())
        if self._http is not None:
            if any(getattr(t, "name", "") == "http" for t in self._threads):
                self._http.shutdown()  # waits for serve_forever: only once it has started
            self._http.server_close()
        for worker in self._threads:
            if isinstance(worker, StreamPoller):
                worker.stop(drain=DRAIN_SECONDS)
            elif hasattr(worker, "stop"):
                worker.stop()
            else:
                worker.join(timeout=10)
        if self._notify is not None:
            self._notify.stop()
        if self._mirror is not None:
            self._mirror.stop()  # after every writer of this process has stopped
        if self._moto is not None:
            self._moto.stop()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        clients.reset()


def _other_routes() -> dict[str, Any]:
    """API routes the template gives to functions other than the API's (GOV.UK Notify's
    callback), each to its own handler."""
    from complaints_tools.infra_template import load_template
    from complaints_tools.local.template import http_routes

    api = "complaints.handlers.api.handler"
    found: dict[str, Any] = {}
    for route, path in http_routes(load_template()).items():
        handler = load_handler(path) if path != api else None
        if handler is not None:
            found[route] = handler
    return found
