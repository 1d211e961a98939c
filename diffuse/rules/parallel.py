"""Project files read in two processes: the reading, parsing, patient-data scan and schema
check of one file depend on no other, and are most of a cold `validate` of a big tracker.

This process reads each file's bytes once; a forked worker parses every other one of those
given while this process parses the rest, and each returns its documents (released: path,
text, problems) and what the reader asked of each file (its model, or what the project's
own checks found: `rules.tracker.reading`). A small tracker,
or a platform without `fork`, is read in this process alone: starting a worker costs more
than it saves there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from diffuse.files.loading import Document

# Fewer files than this are read in one process (see benchmarks/README.md).
MIN_FILES = 100
MIN_FILES_VAR = "DIFFUSE_PARALLEL_MIN"
# Files read at once; their models are held until each is checked, then dropped. A part
# also ends before its files pass PART_BYTES: held models take about fifteen times their
# file's size, and files grow with the sites a project lists (1,800 rows in a closed
# project of 1,800 sites), so a count alone would let memory grow with the sites.
PART = 400
PART_BYTES = 8 << 20

Item = TypeVar("Item")
Job = TypeVar("Job")
Read = Callable[[Job], tuple[Document, Item]]


def threshold() -> int:
    try:
        return int(os.environ.get(MIN_FILES_VAR, MIN_FILES))
    except ValueError:
        return MIN_FILES


def parts(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """`paths` in order, cut into parts of at most PART files and PART_BYTES bytes (a
    bigger file is a part of its own)."""
    part: list[Path] = []
    size = 0
    for path in paths:
        try:
            length = path.stat().st_size
        except OSError:
            length = 0  # the reading reports it
        if part and (len(part) == PART or size + length > PART_BYTES):
            yield part
            part, size = [], 0
        part.append(path)
        size += length
    if part:
        yield part


def read_all(jobs: Sequence[Job], read: Read[Job, Item]) -> dict[Path, tuple[Document, Item]]:
    """`read(job)` of each job, by the path of the document it gives; in two processes
    when there are enough of them. Nothing when they are too few: the caller reads each as
    it comes."""
    if len(jobs) < max(threshold(), 2):
        return {}
    # Imported here: only a big tracker needs them, and they are slow to import.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return {}
    from concurrent.futures.process import BrokenProcessPool

    theirs, mine = list(jobs[1::2]), jobs[0::2]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        pending = pool.submit(_read_each, theirs, read)
        done = _read_each(mine, read)
        try:
            done += pending.result()
        except BrokenProcessPool:
            # The worker was killed (the out-of-memory killer, a signal): its share is
            # read here instead; each read depends on nothing but its own file.
            done += _read_each(theirs, read)
    return {doc.path: (doc, item) for doc, item in done}


def _read_each(jobs: Sequence[Job], read: Read[Job, Item]) -> list[tuple[Document, Item]]:
    return [read(job) for job in jobs]
