"""Concurrent requests against the app, as two people pressing a button at the same moment.

Each request runs in its own thread with its own database connection (Django's connections are
per thread), in tests marked `django_db(transaction=True)` so that what one request commits is
seen by the other. `race()` releases the threads together.

On two cores, two requests released together rarely interleave at the one point that matters.
A `Rendezvous` makes them: installed at a point of the code (`rendezvous.install(module, name)`
wraps that function; the wrapped function still runs, unchanged), it holds each racing thread
there until every other racing thread has reached it too — or is blocked by the database (it
waits for a lock, held by a thread already there), or is done. Without locks, both requests pass
their checks before either writes: the race is lost every time. With the right lock, the second
request waits for the first one's commit, and sees its write.
"""

import threading
import time
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client

from tests.directory.factories import UserFactory, give_area

SOFT_TIMEOUT = 10  # seconds: a rendezvous never hangs a test


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def blocked_by_the_database(pid) -> bool:
    """Whether the PostgreSQL backend `pid` is waiting for a lock held by another one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return cursor.fetchone()[0]


class Rendezvous:
    def __init__(self):
        self._condition = threading.Condition()
        self._pids = {}  # thread id -> backend pid, for the threads of the current race
        self._arrived = set()
        self._done = set()

    def join(self):
        with self._condition:
            self._pids[threading.get_ident()] = backend_pid()

    def leave(self):
        with self._condition:
            self._done.add(threading.get_ident())
            self._condition.notify_all()

    def reset(self):
        with self._condition:
            self._pids.clear()
            self._arrived.clear()
            self._done.clear()

    def arrive(self):
        me = threading.get_ident()
        if me not in self._pids:
            return  # not a racing thread (the test itself)
        deadline = time.monotonic() + SOFT_TIMEOUT
        with self._condition:
            self._arrived.add(me)
            self._condition.notify_all()
        while time.monotonic() < deadline:
            with self._condition:
                pending = [
                    pid
                    for thread, pid in self._pids.items()
                    if thread != me and thread not in self._arrived and thread not in self._done
                ]
            if not pending or all(blocked_by_the_database(pid) for pid in pending):
                return
            with self._condition:
                self._condition.wait(0.005)

    def install(self, monkeypatch, target, name):
        """Make every racing thread meet before `target.name` runs."""
        original = getattr(target, name)

        def meeting_point(*args, **kwargs):
            self.arrive()
            return original(*args, **kwargs)

        monkeypatch.setattr(target, name, meeting_point)


@dataclass
class Outcome:
    response: object = None
    error: BaseException | None = None

    @property
    def status(self):
        return 500 if self.error is not None else self.response.status_code


def race(*calls, rendezvous: Rendezvous | None = None) -> list[Outcome]:
    """Run each call in its own thread (and database connection), all released at once; the
    outcomes in the order of the calls. An exception raised by a call is its outcome (what
    the server would answer with a 500)."""
    outcomes = [Outcome() for _ in calls]
    start = threading.Barrier(len(calls))
    if rendezvous is not None:
        rendezvous.reset()

    def run(index, call):
        try:
            if rendezvous is not None:
                rendezvous.join()
            start.wait(timeout=SOFT_TIMEOUT)
            outcomes[index].response = call()
        except BaseException as error:  # noqa: BLE001 - reported as the request's outcome
            outcomes[index].error = error
        finally:
            if rendezvous is not None:
                rendezvous.leave()
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SOFT_TIMEOUT * 3)
    assert not any(thread.is_alive() for thread in threads), "a racing request hung"
    return outcomes


def logged_in(user) -> Client:
    """A client of its own for `user` (each racing request is one person's browser)."""
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data=None):
    """A racing request: `client` posting `data` to `url` when `race()` releases it."""
    return lambda: client.post(url, data or {})


def told(outcomes) -> list[str]:
    """The messages the racing requests left for their users, in the order of the outcomes."""
    return [
        str(message)
        for outcome in outcomes
        for message in get_messages(outcome.response.wsgi_request)
    ]


def clients_of(role, place, count: int = 2) -> list[Client]:
    """`count` people of `role` working on `place` (a department), each in their own browser."""
    clients = []
    for _ in range(count):
        user = UserFactory(role=role)
        give_area(user, place)
        clients.append(logged_in(user))
    return clients
