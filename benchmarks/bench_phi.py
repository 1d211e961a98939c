"""Timings of the patient-data guard on adversarial texts, and its accuracy on a labelled set.

    python benchmarks/bench_phi.py [--runs N]    # timings, then accuracy
    python benchmarks/bench_phi.py --accuracy    # accuracy only
    python benchmarks/bench_phi.py --against main [--runs N]   # speed against a revision
    python benchmarks/bench_phi.py --against main --tracker DIR  # and in a cold read of DIR
    python benchmarks/bench_phi.py --accuracy --phonenumbers  # phones checked by the library

Each text is a shape that makes a careless expression backtrack, built at two sizes, n and
2n. The guard's median times on both are measured interleaved in the same run: a ratio near
2 shows linear work, near 4 quadratic.

With `--against REV`, the scan of `diffuse/files/phi.py` as it is at git revision REV and
as it is now are timed interleaved in the same run, on what cold `validate` scans (every
file of the demo tracker: its projects, practices and organisation file) and on the
labelled set's texts: the medians of both (CPU time) and their ratio. With `--tracker DIR`
(a tracker made by make_tracker.py), the tracker is also read cold, in this one process,
with each version's scan in turn: the CPU time of the read and of the scans within it.

Accuracy is measured on tests/data/phi_labelled.yaml (scored by tests/phi_labelled.py, the
same scoring tests/unit/files/test_phi.py asserts): recall, precision and their counts, then each
missed identifier (its text, the identifier masked) and false alarm (its text). With
`--phonenumbers` (the `phonenumbers` package installed by hand; diffuse does not depend on
it), a phone number the guard finds counts only when the library also says it is a valid
number: the comparison that decided against the library.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from diffuse.files import phi

SHAPES: dict[str, Callable[[int], str]] = {
    "dob + spaces": lambda n: "dob" + " " * n + "x",
    "mrn + spaces + colon": lambda n: "mrn" + " " * (n // 2) + ":" + " " * (n // 2),
    "born + digits": lambda n: "born " + "1" * n,
    "'date of ' repeated": lambda n: "date of " * (n // 8),
    "'medical ' repeated": lambda n: "medical " * (n // 8),
    "'123-' repeated": lambda n: "123-" * (n // 4),
    "'1 ' repeated": lambda n: "1 " * (n // 2),
    "MRN lines": lambda n: "MRN 12345678\n" * (n // 13),
    "mrn + line break + spaces": lambda n: "mrn\n" + " " * n + "x",
    "born + 'Smith, John ' repeated": lambda n: "born\n" + "Smith, John " * (n // 12),
    "'11/' repeated": lambda n: "11/" * (n // 3),
    "'d. o. b. ' repeated": lambda n: "d. o. b. " * (n // 9),
    "lot + '123 45 ' repeated": lambda n: "lot " + "123 45 " * (n // 7),
    "'a.' repeated + '@'": lambda n: "a." * (n // 2) + "@",
    "'Mr Ab ' repeated": lambda n: "Mr Ab " * (n // 6),
    "'12 Elm ' repeated": lambda n: "12 Elm " * (n // 7),
    "'415 555 ' repeated": lambda n: "415 555 " * (n // 8),
    "'Smith, John ' + date repeated": lambda n: "Smith, John on 2026-01-01 " * (n // 26),
    "'medicare no ' repeated": lambda n: "medicare no " * (n // 12),
}
ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
N = 200_000


def _time(fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    start = clock()
    fn()
    return clock() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument(
        "--accuracy", action="store_true", help="only recall and precision on the labelled set"
    )
    parser.add_argument(
        "--phonenumbers",
        action="store_true",
        help="keep a phone number only when the phonenumbers package says it is valid",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="time the scan as it is at git revision REV and as it is now (e.g. main)",
    )
    parser.add_argument(
        "--tracker", type=Path, metavar="DIR", help="with --against: also read DIR cold"
    )
    args = parser.parse_args(argv)
    if args.against:
        compare(args.against, args.runs)
        if args.tracker:
            cold_read(args.against, args.tracker, max(1, args.runs // 5))
        return 0
    if args.phonenumbers:
        _check_phones_with_library()
    if not args.accuracy:
        timings(args.runs)
        print()
    accuracy()
    return 0


def timings(runs: int) -> None:
    print(f"| text | ms at {N:,} chars | ms at {2 * N:,} chars | ratio |")
    print("|---|---:|---:|---:|")
    for name, shape in SHAPES.items():
        small, large = shape(N), shape(2 * N)
        one: list[float] = []
        two: list[float] = []
        for _ in range(runs):
            one.append(_time(lambda t=small: list(phi.findings(t))))
            two.append(_time(lambda t=large: list(phi.findings(t))))
        a, b = statistics.median(one) * 1000, statistics.median(two) * 1000
        print(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f} |")


def _module_at(rev: str) -> ModuleType:
    """`diffuse/files/phi.py` as it is at git revision `rev`, imported under another name."""
    source = subprocess.run(
        ["git", "show", f"{rev}:diffuse/files/phi.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "phi_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("phi_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _tracker_texts() -> list[str]:
    files = [ROOT / "organisation.yaml", *sorted((ROOT / "practices").glob("*.yaml"))]
    files += sorted((ROOT / "projects").glob("*.yaml"))
    return [f.read_text(encoding="utf-8") for f in files]


def _scan(module: ModuleType, texts: list[str], repeat: int) -> Iterator[object]:
    for _ in range(repeat):
        for text in texts:
            yield from module.findings(text)


def compare(rev: str, runs: int) -> None:
    sys.path.insert(0, str(TESTS))
    from phi_labelled import load

    before = _module_at(rev)
    corpora = {
        "demo tracker files x20": (_tracker_texts(), 20),
        "labelled set x20": ([case.text for case in load()], 20),
    }
    print(f"| text | {rev}, ms | now, ms | now / {rev} |")
    print("|---|---:|---:|---:|")
    for name, (texts, repeat) in corpora.items():
        chars = sum(map(len, texts)) * repeat
        old: list[float] = []
        new: list[float] = []
        for _ in range(runs):
            # CPU time: on a shared machine, waiting for a core is not the scan's cost.
            for module, into in ((before, old), (phi, new)):
                scan = partial(_scan, module, texts, repeat)
                into.append(_time(lambda s=scan: list(s()), time.process_time))
        a, b = statistics.median(old) * 1000, statistics.median(new) * 1000
        print(f"| {name} ({chars:,} chars) | {a:.1f} | {b:.1f} | {b / a:.2f} |")


def _check_phones_with_library() -> None:
    import phonenumbers

    guard = phi._phone

    def checked(match: object, value: str, digits: str) -> str | None:
        kind = guard(match, value, digits)  # type: ignore[arg-type]
        if kind != "phone":
            return kind
        region = None if value.startswith("+") else "GB" if digits[0] == "0" else "US"
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None
        return kind if phonenumbers.is_valid_number(number) else None

    setattr(phi, "_phone", checked)  # noqa: B010 (a module's function replaced for one run)


def cold_read(rev: str, root: Path, runs: int) -> None:
    """`read_tracker` of `root` with no cache and no second process, with the scan of `rev`
    and the scan now in turn; each round times the whole read and the scans within it."""
    import os

    from diffuse.rules.tracker import reading

    os.environ["DIFFUSE_NO_CACHE"] = "1"
    os.environ["DIFFUSE_PARALLEL_MIN"] = str(10**9)
    before = _module_at(rev)
    scans: dict[str, Callable[..., object]] = {
        rev: lambda doc, staff=None: before.patient_data(doc),
        "now": phi.patient_data,
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in scans}
    for _ in range(runs):
        for name, scan in scans.items():
            spent: list[float] = []

            def timed(
                doc: object, staff: object = phi.NO_STAFF, s: Any = scan, into: Any = spent
            ) -> object:
                start = time.process_time()
                try:
                    return s(doc, staff)
                finally:
                    into.append(time.process_time() - start)

            reading.patient_data = timed  # type: ignore[assignment]
            total = _time(lambda: reading.read_tracker(root), time.process_time)
            results[name].append((total, sum(spent)))
    reading.patient_data = phi.patient_data
    print(f"\nCold read of {root} ({runs} rounds, CPU medians):")
    for name, rows in results.items():
        total = statistics.median(r[0] for r in rows)
        scanned = statistics.median(r[1] for r in rows)
        print(f"{name}: read {total:.2f} s, scan {scanned:.3f} s ({scanned / total:.1%})")


def accuracy() -> None:
    sys.path.insert(0, str(TESTS))
    from phi_labelled import DATA, load, score

    cases = load()
    result = score(cases)
    print(f"Labelled set: {DATA.relative_to(TESTS.parent)}")
    print(f"texts: {result.texts} ({sum(not case.ids for case in cases)} with no identifier)")
    print(f"identifiers: {result.expected}, findings: {result.found}")
    print(f"recall:    {result.recall:.3f} ({result.hits} of {result.expected} found)")
    print(f"precision: {result.precision:.3f} ({result.right} of {result.found} right)")
    for kind, value, text in result.missed:
        shown = text.replace(value, phi._mask(value, keep=0))
        print(f"missed {kind}: {' '.join(shown.split())}")
    for kind, masked, text in result.false_alarms:
        # Labelled as holding no identifier there, so the text is shown as it is.
        print(f"false alarm {kind} ({masked}): {' '.join(text.split())}")


if __name__ == "__main__":
    raise SystemExit(main())
