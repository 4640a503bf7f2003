from __future__ import annotations

import gc
import threading

from entrypoints.runtime import collector_paused


def test_the_collector_is_paused_inside_and_running_again_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_holders_resume_the_collector_only_when_the_last_one_leaves() -> None:
    first_inside = threading.Event()
    second_done = threading.Event()

    def second_holder() -> None:
        first_inside.wait()
        with collector_paused():
            pass
        second_done.set()

    worker = threading.Thread(target=second_holder)
    worker.start()
    with collector_paused():
        first_inside.set()
        second_done.wait(timeout=5)
        assert not gc.isenabled()  # the second holder left first; the first still holds
    worker.join()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
