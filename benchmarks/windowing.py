"""Benchmark: the tutorial Python loop vs `make_windows` (sliding_window_view).

1,000,000 rows × 5 features, lookback 60. Prints both times, the speed-up ratio
(the design's target is at least 100×) and whether `make_windows` returned a
view of the input (no copy).

Run:  python benchmarks/windowing.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lstm_tutorial.windowing import make_windows, make_windows_loop


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=5)
    parser.add_argument("--lookback", type=int, default=60)
    parser.add_argument("--target", type=float, default=100.0, help="required speed-up")
    args = parser.parse_args()

    values = np.random.default_rng(0).normal(size=(args.rows, args.features))
    t_loop = best_of(lambda: make_windows_loop(values, args.lookback), repeat=1)
    t_fast = best_of(lambda: make_windows(values, args.lookback), repeat=5)
    X, y = make_windows(values, args.lookback)
    Xl, yl = make_windows_loop(values[:5000], args.lookback)
    same = np.array_equal(X[: len(Xl)], Xl) and np.array_equal(y[: len(yl)], yl)
    is_view = np.shares_memory(X, values) and np.shares_memory(y, values)
    ratio = t_loop / t_fast
    print(f"rows={args.rows:,} features={args.features} lookback={args.lookback} "
          f"-> X {X.shape}, y {y.shape}")
    print(f"loop:         {t_loop:10.4f} s (copies {X.size * 8 / 2**30:.1f} GiB)")
    print(f"make_windows: {t_fast:10.6f} s")
    print(f"speed-up:     {ratio:,.0f}x (target >= {args.target:.0f}x)")
    print(f"view (no copy): {is_view}; same values as the loop: {same}")
    return 0 if ratio >= args.target and is_view and same else 1


if __name__ == "__main__":
    raise SystemExit(main())
