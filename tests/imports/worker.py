"""A real Celery worker for the import tests and the import bench: ``celery -A secondcrm worker`` in a subprocess,
on this test's database and files, consuming a queue of its own so that parallel runs sharing Redis never take
each other's tasks."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from secondcrm.celery import app

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


@contextmanager
def own_queue() -> Iterator[str]:
    """A queue of its own, where the tasks this process sends go meanwhile. Removed afterwards, with any message a
    killed worker left unacknowledged in it."""
    name = f"test-imports-{uuid.uuid4().hex}"
    default, app.conf.task_default_queue = app.conf.task_default_queue, name
    try:
        yield name
    finally:
        app.conf.task_default_queue = default
        with app.connection() as broker:
            # Redis keeps a binding for every queue ever declared; declaring it on this connection lets kombu find it.
            queue = Queue(name, Exchange(name), routing_key=name)(broker.default_channel)
            queue.declare()
            queue.delete()
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        for tag, message in client.hgetall("unacked").items():
            if name.encode() in message:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


class Worker:
    """A ``celery worker`` process with one pool process, in a session of its own so that killing its group kills
    its pool too. Started when created; ``log`` collects its output."""

    def __init__(self, queue: str, log: Path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "SECONDCRM_TEST_DATABASE": connection.settings_dict["NAME"],
            "SECONDCRM_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        command = [CELERY, "-A", "secondcrm", "worker", "-Q", queue, "--pool", "prefork", "--concurrency", "1"]
        command += ["--loglevel", "info", "--without-heartbeat", "--without-mingle", "--without-gossip"]
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [str(part) for part in command],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until(lambda: " ready." in log.read_text(), 60, "the worker did not start")

    def pool_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def kill(self) -> None:
        """SIGKILL to the worker and its pool, as when a machine loses power."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def wait_until(self, condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = condition()
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{what} within {timeout} s\n--- worker log\n{self.log.read_text()[-5000:]}")
