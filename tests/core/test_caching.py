"""core.caching.process_cache: a process keeps reference data for a bounded time, and forgets it on request."""

from __future__ import annotations

from medtalent.core import caching


def test_process_cache_reloads_after_its_time_and_on_clear(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    calls = []

    @caching.process_cache(seconds=300)
    def load() -> int:
        calls.append(clock[0])
        return len(calls)

    assert (load(), load()) == (1, 1)
    clock[0] += 300
    assert load() == 1  # still fresh at exactly the limit
    clock[0] += 1
    assert load() == 2  # another process's change is seen after at most `seconds`
    load.cache_clear()
    assert load() == 3  # the process that made a change sees it at once
    assert calls == [1000.0, 1301.0, 1301.0]
    assert load.__name__ == "load"
