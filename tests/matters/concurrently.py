"""Run a function in several threads at once, each with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

TIMEOUT = 60.0


def run_concurrently(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Start `n` threads that call work(i) together; return each result or the exception it
    raised, in thread order. Each thread closes its own connection when done."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait(TIMEOUT)
            results[i] = work(i)
        except BaseException as exc:  # collected and judged by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    stuck = [t for t in threads if t.is_alive()]
    assert not stuck, f"{len(stuck)} threads still running after {TIMEOUT}s"
    return results


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start `work` in one thread with its own connection; the dict receives its outcome."""
    outcome: dict[str, Any] = {}

    def worker() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    return thread, outcome
