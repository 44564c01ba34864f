"""Races on PostgreSQL with real separate connections: the tests of what happens when two
requests touch the same row at the same instant."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Start every job at the same instant in its own thread (own connection); each result is
    what the job returned or the exception it raised (a loser's refusal is often the point)."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results
