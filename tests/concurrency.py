"""Running the same action from several database connections at the same moment."""

import threading

from django.db import connection


def race(callables, *, timeout: float = 60) -> list:
    """Start every callable at once, each in its own thread and database connection.

    Returns, in order, what each returned or the exception it raised: a race test
    asserts on the mix (exactly one success, the rest refused with a clear error).
    """
    barrier = threading.Barrier(len(callables))
    results: list = [None] * len(callables)

    def run(index, func):
        try:
            barrier.wait()
            results[index] = func()
        except Exception as error:  # noqa: BLE001 - the race reports what each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
