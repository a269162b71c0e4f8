"""A long fuzzing run of the extractor: the property of tests/test_fuzz.py on many random inputs.

    PYTHONPATH=. python bench/fuzz.py [--examples 2000] [--seed N] [--model DIR]

Unlike the test, a failing input does not stop the run: every failure is counted and the first few are
printed (shortest first), then the totals: inputs tried, failures, distinct failure kinds. A running count is
printed every ``--every`` inputs, so a run cut short still tells how far it got.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fuzz_inputs import check_extraction, published, texts  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

import diplo_ie  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", help="a saved model directory (default: the shipped model)")
    parser.add_argument("--show", type=int, default=5, help="print this many failing inputs")
    parser.add_argument("--every", type=int, default=100, help="print a running count every N inputs")
    args = parser.parse_args()
    extractor = diplo_ie.load(args.model)
    tried, failures = 0, []

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=texts, date=published)
    def run(text: str, date: str | None) -> None:
        nonlocal tried
        tried += 1
        try:
            check_extraction(extractor, text, date)
        except Exception as exc:  # counted, not raised: the run goes on to find the others
            kind = f"{type(exc).__name__} at {traceback.extract_tb(exc.__traceback__)[-1].name}"
            failures.append((kind, len(text), repr(text[:300]), date, f"{exc}"[:300]))
        if tried % args.every == 0:
            print(f"... {tried} inputs tried, {len(failures)} failures", flush=True)

    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    for kind, length, text, date, message in sorted(failures, key=lambda f: f[1])[: args.show]:
        print(f"FAIL {kind}: {message}\n  published={date!r} text({length})={text}")
    kinds = Counter(f[0] for f in failures)
    print(
        f"inputs tried: {tried}, failures: {len(failures)}, distinct kinds: {len(kinds)}, "
        f"seed {args.seed}, {seconds:.0f} s"
    )
    for kind, count in kinds.most_common():
        print(f"  {count:5d}  {kind}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
