"""Project files read in two processes: the reading, parsing, patient-data scan and schema
check of one file depend on no other, and are most of a cold `validate` of a big tracker.

A forked worker reads every other file of those given while this process reads the rest;
each returns its documents (released: path, text, problems) and models. A small tracker,
or a platform without `fork`, is read in this process alone: starting a worker costs more
than it saves there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from diffuse.files.loading import Document

# Fewer files than this are read in one process (see benchmarks/README.md).
MIN_FILES = 100
MIN_FILES_VAR = "DIFFUSE_PARALLEL_MIN"
# Files read at once; their models are held until each is checked, then dropped.
PART = 400

Item = TypeVar("Item")
Read = Callable[[Path], tuple[Document, Item]]


def threshold() -> int:
    try:
        return int(os.environ.get(MIN_FILES_VAR, MIN_FILES))
    except ValueError:
        return MIN_FILES


def read_all(paths: Sequence[Path], read: Read[Item]) -> dict[Path, tuple[Document, Item]]:
    """`read(path)` of each path, by path; in two processes when there are enough of them.
    Nothing when they are too few: the caller reads each as it comes."""
    if len(paths) < max(threshold(), 2):
        return {}
    # Imported here: only a big tracker needs them, and they are slow to import.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return {}
    theirs, mine = list(paths[1::2]), paths[0::2]
    # A worker that dies raises here (a bug, exit 3) rather than leaving the command waiting.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        pending = pool.submit(_read_each, theirs, read)
        done = dict(zip(mine, _read_each(mine, read), strict=True))
        done.update(zip(theirs, pending.result(), strict=True))
    return done


def _read_each(paths: Sequence[Path], read: Read[Item]) -> list[tuple[Document, Item]]:
    return [read(path) for path in paths]
