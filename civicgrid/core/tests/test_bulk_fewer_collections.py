"""``fewer_collections`` keeps the collector out of a bulk job's way and gives the process
back its own settings when the last job ends, also when one fails."""

import gc
import threading

import pytest

from civicgrid.core.bulk import fewer_collections


def test_settings_hold_for_nested_jobs_and_come_back_after_the_last() -> None:
    before = gc.get_threshold()
    with fewer_collections(young=5000):
        assert gc.get_threshold() == (5000, *before[1:])
        assert gc.get_freeze_count() > 0
        with fewer_collections(young=9000):
            assert gc.get_threshold()[0] == 5000  # the first job's setting holds
        assert gc.get_threshold()[0] == 5000 and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_failed_job_restores_the_settings() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a broken file")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_cycles_made_during_a_job_are_still_collected() -> None:
    collected = threading.Event()

    class Node:
        def __del__(self) -> None:
            collected.set()

    with fewer_collections():
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        del node
        gc.collect()
    assert collected.is_set()
