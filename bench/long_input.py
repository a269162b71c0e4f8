"""One very long article: time and peak memory of ``extract`` on the seed articles repeated to a given size.

    PYTHONPATH=. python bench/long_input.py [--mb 5] [--precision float32|bfloat16]

Peak memory must not grow with the input: pieces go to the model a bounded group at a time.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import diplo_ie  # noqa: E402


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="input size in millions of characters")
    parser.add_argument("--precision", default="float32")
    args = parser.parse_args()
    extractor = diplo_ie.load(precision=args.precision)
    loaded = peak_gib()
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = (seeds + "\n\n") * max(1, round(args.mb * 1e6 / (len(seeds) + 2)))
    start = time.perf_counter()
    events = extractor.extract(text, published="2024-11-16", progress=True)
    seconds = time.perf_counter() - start
    print(
        f"{len(text) / 1e6:.2f} M characters: {len(events)} events in {seconds:.0f} s "
        f"({len(text) / seconds / 1e3:.1f} k characters/s); peak memory {peak_gib():.2f} GiB "
        f"({loaded:.2f} GiB after loading the model)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
