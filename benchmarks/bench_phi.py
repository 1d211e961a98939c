"""Timings of the patient-data guard on adversarial texts, against a linear baseline.

    python benchmarks/bench_phi.py [--runs N]

Each text is a shape that makes a careless expression backtrack, built at two sizes, n and
2n. The guard's median times on both are measured interleaved in the same run: a ratio near
2 shows linear work, near 4 quadratic.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

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
}
N = 200_000


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds (default 7)")
    args = parser.parse_args(argv)
    print(f"| text | ms at {N:,} chars | ms at {2 * N:,} chars | ratio |")
    print("|---|---:|---:|---:|")
    for name, shape in SHAPES.items():
        small, large = shape(N), shape(2 * N)
        one: list[float] = []
        two: list[float] = []
        for _ in range(args.runs):
            one.append(_time(lambda t=small: list(phi.findings(t))))
            two.append(_time(lambda t=large: list(phi.findings(t))))
        a, b = statistics.median(one) * 1000, statistics.median(two) * 1000
        print(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
