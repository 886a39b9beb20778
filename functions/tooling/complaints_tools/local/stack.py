"""The embedded local stack: one process on 127.0.0.1 running what AWS runs.

- a moto server (the local AWS: DynamoDB and its stream, SES, Scheduler), with the resources
  of ``template.yaml``;
- the built guide at ``/`` and the real API handler at ``/api/*`` (API Gateway v2 events);
- a stream poller feeding the real outbox worker;
- a scheduler emulation firing due schedules into the escalation-check handler;
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

        self._http = serve(self.site_dir, api_handler, self.port, console_handler)
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
        from complaints.handlers import console as console_module

        console_module.reset()

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
        mailbox.install(clients.client("sesv2"), emails)

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
        for worker in (poller, emulator, self._mirror):
            worker.start()
        http_thread.start()
        self._threads = [poller, emulator, http_thread]
        StackState(
            pid=os.getpid(),
            site_url=self.site_url,
            endpoint=endpoint,
            region=REGION,
            table_name=resources.table_name,
            emails_file=str(emails),
            environment={k: v for k, v in env.items() if not k.startswith("AWS_")},
            staff_users=self.staff_pool.users,
            totp_secret=self.staff_pool.totp_secret,
        ).write(self.state_directory)

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
