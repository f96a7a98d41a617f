"""A per-process memo for reference data that every request reads and an administrator rarely changes.

`@process_cache(seconds=300)` on a function without arguments keeps its result for that long in the process;
`f.cache_clear()` forgets it at once (the process that made a change calls it). Other processes, on this node or
another, see the change when their copy expires: web processes keep no state that outlives a few minutes.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

REFERENCE_DATA_SECONDS = 300


class _ProcessCache(Generic[T]):
    def __init__(self, func: Callable[[], T], seconds: float):
        functools.update_wrapper(self, func)
        self.func = func
        self.seconds = seconds
        self.lock = threading.Lock()
        self.value: T | None = None
        self.loaded_at: float | None = None

    def __call__(self) -> T:
        loaded_at = self.loaded_at
        if loaded_at is None or time.monotonic() - loaded_at > self.seconds:
            with self.lock:
                if self.loaded_at is None or time.monotonic() - self.loaded_at > self.seconds:
                    self.value = self.func()
                    self.loaded_at = time.monotonic()
        return self.value  # type: ignore[return-value]

    def cache_clear(self) -> None:
        with self.lock:
            self.value, self.loaded_at = None, None


def process_cache(seconds: float = REFERENCE_DATA_SECONDS) -> Callable[[Callable[[], T]], _ProcessCache[T]]:
    def decorate(func: Callable[[], T]) -> _ProcessCache[T]:
        return _ProcessCache(func, seconds)

    return decorate
