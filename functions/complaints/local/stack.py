"""The embedded local stack: one process on 127.0.0.1 running what AWS runs.

- a moto server (the local AWS: DynamoDB and its stream, SES, Scheduler), with the resources
  of ``template.yaml``;
- the built guide at ``/`` and the real API handler at ``/api/*`` (API Gateway v2 events);
- a stream poller feeding the real outbox worker;
- a scheduler emulation firing due schedules into the escalation-check handler;
- a record of sent email and a state file under ``.local/`` for the CLI.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from complaints.adapters import clients
from complaints.adapters.keys import OUTBOX_STREAM_FILTER
from complaints.local import mailbox
from complaints.local.invoke import load_handler
from complaints.local.resources import prepare
from complaints.local.schedules import SchedulerEmulator
from complaints.local.server import serve
from complaints.local.state import (
    DEAD_LETTERS_FILE,
    EMAILS_FILE,
    LOCAL_CREDENTIALS,
    REGION,
    StackState,
    remove_state,
    state_dir,
)
from complaints.local.streams import StreamPoller

HOST = "127.0.0.1"  # never 0.0.0.0: the stack holds (test) personal data
STACK_NAME = "complaints-local"


@dataclass
class LocalStack:
    site_dir: Path
    port: int = 8000
    state_directory: Path = field(default_factory=state_dir)
    poll_interval: float = 0.2
    scheduler_interval: float = 1.0
    notes: list[str] = field(default_factory=list)
    _moto: Any = None
    _http: ThreadingHTTPServer | None = None
    _threads: list[Any] = field(default_factory=list)
    _saved_env: dict[str, str | None] = field(default_factory=dict)

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

        from complaints.local import fast_tables

        fast_tables.install()  # filing a complaint stays quick however full the table is
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._moto = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
        self._moto.start()
        _, moto_port = self._moto.get_host_and_port()
        endpoint = f"http://{HOST}:{moto_port}"
        self._set_env({**LOCAL_CREDENTIALS, clients.ENDPOINT_ENV: endpoint})
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
            self._saved_env.setdefault(name, os.environ.pop(name, None))
        clients.reset()

        from complaints.handlers.api import handler as api_handler

        self._http = serve(self.site_dir, api_handler, self.port)
        resources, env, notes = prepare(
            clients.client, stack_name=STACK_NAME, region=REGION, site_url=self.site_url
        )
        self.notes.extend(notes)
        self._set_env(env)

        self.state_directory.mkdir(parents=True, exist_ok=True)
        emails = self.state_directory / EMAILS_FILE
        emails.write_text("", encoding="utf-8")  # this run's email only
        mailbox.install(clients.client("sesv2"), emails)

        outbox = load_handler(resources.stream_handler)
        if outbox is None or resources.stream_arn is None:
            raise RuntimeError("the table's stream or its handler is missing")
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
            clients.client("scheduler"),
            env["SCHEDULE_GROUP"],
            resources.function_handlers,
            interval=self.scheduler_interval,
        )
        http_thread = threading.Thread(
            target=self._http.serve_forever, name="http", kwargs={"poll_interval": 0.2}
        )
        for worker in (poller, emulator):
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
        ).write(self.state_directory)

    def stop(self) -> None:
        """Stop everything started, in reverse order, and forget the state file."""
        remove_state(self.state_directory, os.getpid())
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for worker in self._threads:
            if hasattr(worker, "stop"):
                worker.stop()
            else:
                worker.join(timeout=10)
        if self._moto is not None:
            self._moto.stop()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        clients.reset()
