"""What Anhøj's runs limits and a long chart cost.

    python benchmarks/bench_spc.py [--runs N]

Times `spc.runs_limits` for 1,000 to 100,000 useful points (the crossings minimum is
R's qbinom(0.05, N - 1, 0.5), summed from the binomial tail; no big integers), and
`spc.analyse` of an I chart of 100,000 points with two parts and exclusions. Medians of
N runs (default 5) of the process's CPU time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from diffuse.reports.spc import Point, analyse, runs_limits


def _cpu(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    for n in (1_000, 10_000, 20_000, 100_000):
        seconds = _cpu(lambda n=n: runs_limits(n), runs)  # type: ignore[misc]
        print(f"runs_limits({n:>7,}): {seconds * 1000:8.3f} ms  -> {runs_limits(n)}")
    rng = random.Random(1)
    points = [
        Point(y=round(rng.gauss(100, 8), 1), part=int(k >= 50_000), excluded=k % 997 == 0)
        for k in range(100_000)
    ]
    seconds = _cpu(lambda: analyse(points, "i"), max(1, runs // 2))
    print(f"analyse(100,000-point I chart): {seconds:.2f} s")


if __name__ == "__main__":
    main()
