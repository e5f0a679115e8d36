"""Real concurrent transactions for the invariants tests (threads, each with its own
database connection)."""

import threading

from django.db import connection


def at_once(count, action):
    """Run `action(i)` in `count` threads released together; return the outcomes
    (each result, or the exception it raised)."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = action(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what we assert
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
