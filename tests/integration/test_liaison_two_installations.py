"""Two installations side by side: Lomé (A) sends, Dakar (B) receives, over signed HTTP.

Each has its own PostgreSQL database, its own var/ and Ed25519 key, its own gunicorn on a free
port; A has a real Celery worker on a queue of its own (B runs its tasks in-process). They are
set up with the management commands an admin would type, including the key exchange
(`liaison_key show` on one side, `liaison_peer add` on the other). The test then checks the
issue's bar: an alert composed on A arrives in B's triage queue; a replayed or tampered
request is refused; with B stopped the message waits in A's outbox and the channel shows down;
once B is back, A's drain delivers it, and B holds it exactly once.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
import redis
import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import connection

from liaison import signing
from tests.fixtures.services import IN_CI, need_service

pytestmark = pytest.mark.integration

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "Liaison-test-2026!"  # a throwaway account in a throwaway database


def _fail_or_skip(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message} (CI must provide it)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server() -> dict[str, Any]:
    """How to reach the suite's PostgreSQL server (not its test database)."""
    database = settings.DATABASES["default"]
    return {
        "host": database.get("HOST") or "localhost",
        "port": int(database.get("PORT") or 5432),
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }


def _url(name: str) -> str:
    server = _server()
    credentials = server["user"] or ""
    if server["password"]:
        credentials += f":{server['password']}"
    at = f"{credentials}@" if credentials else ""
    return f"postgres://{at}{server['host']}:{server['port']}/{name}"


def _admin_sql(statement: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **_server()) as admin:
        admin.execute(statement)  # type: ignore[arg-type]  # names built here, not user input


def wait_for[T](condition: Callable[[], T | None], *, what: str, timeout: float = 20.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {timeout:.0f} s")
        time.sleep(0.2)


@dataclass
class Installation:
    name: str
    task_force: str
    database: str
    port: int
    var_dir: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(
                f"{self.name}: manage.py {args[0]} failed:\n{done.stdout.decode()}"
                f"\n{done.stderr.decode()[-3000:]}"
            )
        return done.stdout.decode()

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def start(self, role: str, command: list[str]) -> None:
        log = (self.var_dir / f"{role}.log").open("ab")
        self.processes[role] = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    def start_web(self) -> None:
        self.start(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "aircop.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=2",
                "--timeout=30",
            ],
        )
        wait_for(self._answers, what=f"{self.name} answering on port {self.port}")

    def _answers(self) -> bool:
        process = self.processes["web"]
        if process.poll() is not None:
            pytest.fail(f"{self.name}'s gunicorn died:\n{self.log_tail('web')}")
        try:
            return requests.get(f"{self.url}/liaison/inbound/health", timeout=1).ok
        except requests.RequestException:
            return False

    def stop(self, role: str) -> None:
        process = self.processes.pop(role, None)
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for role in list(self.processes):
            self.stop(role)

    def log_tail(self, role: str, lines: int = 30) -> str:
        path = self.var_dir / f"{role}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(dbname=self.database, **_server()) as db:
            return db.execute(sql, params).fetchall()  # type: ignore[arg-type]  # fixed SQL


@dataclass
class Pair:
    lome: Installation
    dakar: Installation
    lome_key: Any  # Lomé's private key: the test signs requests as Lomé would


def _installation(
    name: str, task_force: str, database: str, var_dir: Path, extra: dict[str, str]
) -> Installation:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY"}
        and not k.startswith(("LIAISON_", "PYTEST_", "AIRCOP_"))
    }
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "aircop.settings",
        "DATABASE_URL": _url(database),
        "CONN_MAX_AGE": "0",  # no connection left open when the database is dropped
        "AIRCOP_VAR_DIR": str(var_dir),
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "DEBUG": "0",
        "AIRCOP_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LIAISON_INSTALLATION": name,
        "LIAISON_PERSON_PASSWORD": PASSWORD,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    var_dir.mkdir(parents=True)
    return Installation(name, task_force, database, _free_port(), var_dir, env)


SETUP = """
from django.core.management import call_command
call_command("load_airports")
call_command("create_task_force", code="{tf}", name="{tf_name}", country="{country}",
             airport=["{airport}"])
call_command("create_agency", task_force="{tf}", code="{tf}-POL", name="Police", kind="police")
call_command("create_agency", task_force="{tf}", code="{tf}-CUS", name="Customs",
             kind="customs")
call_command("create_person", username="liaison", agency="{tf}-POL", roles="liaison_officer",
             password_env="LIAISON_PERSON_PASSWORD")
call_command("create_person", username="officer", agency="{tf}-POL", roles="officer",
             password_env="LIAISON_PERSON_PASSWORD")
# Both sides hold the evening flight Lomé → Dakar with the same traveller on it.
from datetime import timedelta
from django.utils import timezone
from agencies.models import TaskForce
from targeting.manifests.keys import document_key, name_key
from targeting.manifests.models import Flight, TravelDocument, Traveller
leaves = timezone.now() + timedelta(hours=3)
flight = Flight.objects.create(
    task_force=TaskForce.objects.get(code="{tf}"), carrier="HF", number="520",
    departure_airport="LFW", arrival_airport="DSS", departure_date=leaves.date(),
    scheduled_departure=leaves, scheduled_arrival=leaves + timedelta(hours=2),
)
koffi = Traveller.objects.create(
    flight=flight, surname="KOFFI", given_names="JEAN", name_key=name_key("KOFFI", "JEAN"),
    nationality="TGO", birth_date="1985-04-12",
)
TravelDocument.objects.create(
    traveller=koffi, type="P", number="TG7654321", number_key=document_key("TG7654321"),
    issuing_state="TGO",
)
print("=== key ===")
call_command("liaison_key", "show")
"""


def _shown_key(output: str) -> tuple[str, str]:
    shown = output.split("=== key ===", 1)[1].strip()
    first, pem = shown.split("\n", 1)
    assert first.startswith("key id: ")
    return first.removeprefix("key id: ").strip(), pem.strip() + "\n"


def _in_parallel[T](*jobs: Callable[[], T]) -> list[T]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [f.result() for f in [pool.submit(job) for job in jobs]]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    if connection.vendor != "postgresql":
        _fail_or_skip(f"two installations need PostgreSQL (DATABASE_URL), not {connection.vendor}")
    server = _server()
    need_service("PostgreSQL", server["host"], server["port"])
    broker = settings.CELERY_BROKER_URL
    if not broker:
        _fail_or_skip("the sending installation's worker needs a broker (REDIS_URL)")
    parts = urlsplit(broker)
    need_service("Redis", parts.hostname or "localhost", parts.port or 6379)

    run = uuid.uuid4().hex[:10]
    databases = [f"aircop_liaison_{run}_a", f"aircop_liaison_{run}_b"]
    # Lomé's key comes from the environment; Dakar makes its own file under var/ on first use.
    lome_key_pem = signing.generate_private_key_pem()
    queue = f"aircop-liaison-{run}"
    lome = _installation(
        "aircop-lome",
        "TG-LFW",
        databases[0],
        tmp_path / "lome",
        {
            "LIAISON_SIGNING_KEY": lome_key_pem,
            "CELERY_BROKER_URL": broker,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
        },
    )
    dakar = _installation("aircop-dakar", "SN-DSS", databases[1], tmp_path / "dakar", {})
    created: list[str] = []
    try:
        _admin_sql(f'CREATE DATABASE "{databases[0]}"')
        created.append(databases[0])
        lome.manage("migrate", "--verbosity=0", timeout=180)
        # Same schema for Dakar: copying the migrated database is quicker than migrating again.
        _admin_sql(f'CREATE DATABASE "{databases[1]}" TEMPLATE "{databases[0]}"')
        created.append(databases[1])

        outputs = _in_parallel(
            lambda: lome.shell(
                SETUP.format(tf="TG-LFW", tf_name="JAITF Lome", country="TGO", airport="LFW")
            ),
            lambda: dakar.shell(
                SETUP.format(tf="SN-DSS", tf_name="JAITF Dakar", country="SEN", airport="DSS")
            ),
        )
        (lome_id, lome_pem), (dakar_id, dakar_pem) = (_shown_key(o) for o in outputs)
        assert (dakar.var_dir / "liaison-ed25519.pem").exists()
        (lome.var_dir / "dakar.pem").write_text(dakar_pem)
        (dakar.var_dir / "lome.pem").write_text(lome_pem)
        _in_parallel(
            lambda: lome.manage(
                "liaison_peer", "add", "--task-force=TG-LFW", "--code=SN-DSS",
                "--name=JAITF Dakar", f"--url={dakar.url}", "--remote-task-force=SN-DSS",
                f"--key-id={dakar_id}", f"--public-key-file={lome.var_dir / 'dakar.pem'}",
            ),
            lambda: dakar.manage(
                "liaison_peer", "add", "--task-force=SN-DSS", "--code=TG-LFW",
                "--name=JAITF Lome", f"--url={lome.url}", "--remote-task-force=TG-LFW",
                f"--key-id={lome_id}", f"--public-key-file={dakar.var_dir / 'lome.pem'}",
            ),
        )  # fmt: skip
        _in_parallel(lome.start_web, dakar.start_web)
        lome.start(
            "worker",
            [
                sys.executable, "-m", "celery", "-A", "aircop", "worker", "--pool=solo",
                "--loglevel=INFO", "--without-gossip", "--without-mingle",
                f"--hostname={queue}@localhost", f"--queues={queue}",
            ],
        )  # fmt: skip
        key = serialization.load_pem_private_key(lome_key_pem.encode(), password=None)
        yield Pair(lome, dakar, key)
    finally:
        lome.stop_all()
        dakar.stop_all()
        for name in created:
            _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # The queue's name is this run's alone: every key that mentions it is ours.
        leftovers = redis.Redis.from_url(broker)
        try:
            keys = list(leftovers.scan_iter(match=f"*{queue}*"))
            if keys:
                leftovers.delete(*keys)
        finally:
            leftovers.close()


COMPOSE = """
from liaison import services
from liaison.models import Counterpart
from agencies.models import Person
from targeting.manifests.models import Traveller
exchange = services.compose(
    actor=Person.objects.get(username="liaison"),
    counterpart=Counterpart.objects.get(code="SN-DSS"),
    kind="alert", handling="amber", subject="{subject}",
    travellers=list(Traveller.objects.filter(surname="KOFFI")),
    body="Courier expected on the evening flight, two checked bags bought in cash.",
)
print(exchange.messages.get().uid)
"""


QUEUE = """
from agencies.models import Person
from targeting.triage.selectors import queue_for
print([t.surname for t in queue_for(Person.objects.get(username="officer"))])
"""


def _messages_in(installation: Installation, uid: str) -> int:
    rows = installation.query("SELECT count(*) FROM liaison_message WHERE uid = %s", uid)
    return int(rows[0][0])


def _lome_state(pair: Pair, uid: str) -> tuple[str, str, str]:
    rows = pair.lome.query(
        "SELECT m.state, c.health, m.last_error FROM liaison_message m "
        "JOIN liaison_exchange e ON e.id = m.exchange_id "
        "JOIN liaison_counterpart c ON c.id = e.counterpart_id WHERE m.uid = %s",
        uid,
    )
    return rows[0]


def _signed_alert(pair: Pair) -> tuple[bytes, dict[str, str]]:
    payload = {
        "format": "aircop-exchange/1",
        "message_id": str(uuid.uuid4()),
        "exchange_id": str(uuid.uuid4()),
        "sent_at": "2026-11-25T10:00:00+00:00",
        "sender": {"installation": "aircop-lome", "task_force": "TG-LFW", "agency": "TG-LFW-POL"},
        "recipient": {"code": "SN-DSS"},
        "kind": "alert",
        "handling": "amber",
        "subject": "Signed by hand",
        "body": "Same request, twice.",
    }
    body = json.dumps(payload).encode()
    headers = signing.sign("POST", "/liaison/inbound/", body, key=pair.lome_key)
    return body, {**headers, "Content-Type": "application/json"}


def test_alert_crosses_once_replays_and_tampering_refused_outage_drains(pair: Pair) -> None:
    lome, dakar = pair.lome, pair.dakar
    inbound = f"{dakar.url}/liaison/inbound/"

    # 1. Composed on Lomé, carried by Lomé's worker, filed in Dakar.
    first = lome.shell(COMPOSE.format(subject="Courier on HF 520")).strip().splitlines()[-1]
    wait_for(lambda: _messages_in(dakar, first), what="the alert in Dakar's database")
    wait_for(lambda: _lome_state(pair, first)[0] == "delivered", what="the alert marked delivered")
    rows = dakar.query(
        "SELECT e.subject, e.direction, e.kind, c.code FROM liaison_exchange e "
        "JOIN liaison_counterpart c ON c.id = e.counterpart_id"
    )
    assert rows == [("Courier on HF 520", "in", "alert", "TG-LFW")]
    # ... and in Dakar's triage queue: a hit on Dakar's own record of KOFFI, from Lomé.
    hits = dakar.query(
        "SELECT t.surname, h.source, h.handling FROM rules_hit h "
        "JOIN manifests_traveller t ON t.id = h.traveller_id"
    )
    assert hits == [("KOFFI", "liaison", "amber")]
    queue = dakar.shell(QUEUE).strip().splitlines()[-1]
    assert queue == "['KOFFI']"

    # 2. A request signed as Lomé: taken once; the very same request again is a replay.
    body, headers = _signed_alert(pair)
    assert requests.post(inbound, data=body, headers=headers, timeout=10).status_code == 202
    replay = requests.post(inbound, data=body, headers=headers, timeout=10)
    assert (replay.status_code, replay.json()) == (409, {"detail": "replayed"})
    # Tampered: a changed body under a valid signature.
    body, headers = _signed_alert(pair)
    tampered = requests.post(
        inbound, data=body.replace(b"twice", b"three times"), headers=headers, timeout=10
    )
    assert tampered.status_code == 401
    assert tampered.json()["detail"] == "the signature does not match the request"
    assert not _messages_in(dakar, json.loads(body)["message_id"])

    # 3. Dakar stops: the message waits in Lomé's outbox and the channel shows down.
    dakar.stop("web")
    second = lome.shell(COMPOSE.format(subject="Second courier")).strip().splitlines()[-1]
    state, _health, error = wait_for(
        lambda: (s := _lome_state(pair, second))[1] == "down" and s,
        what="Lomé's channel to Dakar marked down",
    )
    assert state == "queued"
    assert "cannot be reached" in error

    # 4. Dakar is back: Lomé's drain (what beat runs every minute) delivers it, once.
    dakar.start_web()
    # (The worker's own retry, due within seconds, may get there first: either way, once.)
    lome.shell("from liaison.tasks import drain_outbox; drain_outbox()")
    wait_for(lambda: _messages_in(dakar, second), what="the second alert in Dakar")
    wait_for(
        lambda: _lome_state(pair, second)[:2] == ("delivered", "up"),
        what="the second alert delivered and the channel up",
    )
    # The worker's own retry may still fire: it must find the message delivered and do nothing.
    time.sleep(2)
    assert _messages_in(dakar, second) == 1
    assert _messages_in(dakar, first) == 1
    assert dakar.query("SELECT count(*) FROM liaison_exchange")[0][0] == 3
