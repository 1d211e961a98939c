"""The garbage collector paused while a big tracker is read or reported on.

Ten thousand files, or the rows of ten thousand projects read back from the result cache,
make millions of small objects and free none of them in cycles: the collector would walk
every one of them again and again, for a third of the time or more. Nothing here imports
pydantic or PyYAML, so a report served from the cache pauses it too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
