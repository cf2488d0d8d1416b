"""django-tasks' database worker, which also takes back the tasks of workers that died.

A worker killed in the middle of a task (SIGKILL, out of memory, machine restart) leaves that
task RUNNING forever: django-tasks-db never looks at it again. This worker names itself
`<host>:<pid>:<random>` and, when it starts, puts back in the queue (READY) every RUNNING task
whose last worker ran on this host and is no longer alive, so a process manager that restarts
the worker also resumes the interrupted work. Tasks must therefore be safe to run again: the
email tasks record each recipient before calling the mail server and never send twice.
"""

import logging
import os
import socket

import psutil
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("django_tasks_db")


def host_name() -> str:
    return socket.gethostname()[:40]


def new_worker_id() -> str:
    return f"{host_name()}:{os.getpid()}:{get_random_string(8)}"


def is_live_worker(pid: int) -> bool:
    """Whether `pid` is a running task worker (not a pid reused by another program)."""
    try:
        process = psutil.Process(pid)
        return process.status() != psutil.STATUS_ZOMBIE and "db_worker" in process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def abandoned_on_this_host() -> list[str]:
    """Ids of the RUNNING tasks whose last worker ran here and is dead."""
    abandoned = []
    for pk, worker_ids in DBTaskResult.objects.running().values_list("pk", "worker_ids"):
        host, _, rest = (worker_ids[-1] if worker_ids else "").partition(":")
        pid = rest.partition(":")[0]
        if host == host_name() and pid.isdigit() and not is_live_worker(int(pid)):
            abandoned.append(pk)
    return abandoned


def requeue_abandoned_tasks() -> int:
    """Put the tasks of dead workers of this host back in the queue; return how many."""
    ids = abandoned_on_this_host()
    if not ids:
        return 0
    running = DBTaskResult.objects.running().filter(pk__in=ids)
    count = running.update(status=TaskResultStatus.READY)
    logger.warning("Requeued %d task(s) left running by a worker that died.", count)
    return count


class Command(db_worker.Command):
    help = db_worker.Command.help + " (takes back the tasks of dead workers of this host)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id())

    def handle(self, *args, **options):
        requeue_abandoned_tasks()
        return super().handle(*args, **options)
