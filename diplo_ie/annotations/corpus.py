"""Access to the article collections that stand-off annotations point into.

A stand-off record names a corpus, an article id and the SHA-256 of the article text. The corpora are the
files of :data:`CORPORA` in the corpus directory (never committed; registering another corpus is one entry
there) and ``seeds`` (the ``seeds/*.txt`` files of this repository). The corpus directory is
``$DIPLO_IE_CORPUS_DIR`` if set, else the first ``shared/corpus`` or ``../shared/corpus`` found walking up
from the working directory.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CorpusEntry:
    """A registered corpus: its file in the corpus directory, and which of its articles form the fixed dev
    split (those whose ``sha256(article_id)`` starts with one of ``dev_prefixes``)."""

    file: str
    dev_prefixes: str


CORPORA = {
    "baomoi-2017": CorpusEntry("baomoi-2017.jsonl.gz", dev_prefixes="0123"),
    # A larger share goes to dev: the 2017 corpus's dev holds too few call events to choose models on.
    "vnds-2016-2019": CorpusEntry("vnds-2016-2019.jsonl.gz", dev_prefixes="01234"),
}
CORPUS_FILES = {name: entry.file for name, entry in CORPORA.items()}
BLIND_FILE = "blind-2017.jsonl"
SEEDS_CORPUS = "seeds"


class CorpusUnavailableError(RuntimeError):
    """The corpus a stand-off annotation points into cannot be found on this machine."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _walk_up(start: Path, relative: str, pattern: str = "*") -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / relative
        if candidate.is_dir() and any(candidate.glob(pattern)):
            return candidate
    return None


def corpus_dir(hint: Path | None = None) -> Path | None:
    """The directory holding the corpus files, or None when there is none."""
    env = os.environ.get("DIPLO_IE_CORPUS_DIR")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for start in (hint, Path.cwd()):
        if start is None:
            continue
        start = start.resolve()
        for rel in ("shared/corpus", "../shared/corpus"):
            found = _walk_up(start, rel)
            if found is not None:
                return found
    return None


def seeds_dir(hint: Path | None = None) -> Path | None:
    for start in (hint, Path.cwd()):
        if start is not None:
            found = _walk_up(start.resolve(), "seeds", "*.txt")
            if found is not None:
                return found
    return None


@functools.lru_cache(maxsize=4)
def _load_jsonl_texts(path: Path) -> dict[str, str]:
    opener = gzip.open if path.suffix == ".gz" else open
    texts: dict[str, str] = {}
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            texts[str(record["id"])] = record["text"]
    return texts


def load_corpus(name: str, hint: Path | None = None) -> dict[str, str]:
    """All articles of corpus ``name`` as {article id: text}."""
    if name == SEEDS_CORPUS:
        directory = seeds_dir(hint)
        if directory is None:
            raise CorpusUnavailableError("the seeds/ directory was not found above the annotation file")
        return {p.stem: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))}
    if name not in CORPUS_FILES:
        raise CorpusUnavailableError(
            f"unknown corpus {name!r} (known: {', '.join([*CORPUS_FILES, SEEDS_CORPUS])})"
        )
    directory = corpus_dir(hint)
    path = directory / CORPUS_FILES[name] if directory else None
    if path is None or not path.is_file():
        raise CorpusUnavailableError(
            f"corpus {name!r} not found: put {CORPUS_FILES[name]} in ../shared/corpus/ or point "
            "DIPLO_IE_CORPUS_DIR at its directory"
        )
    return _load_jsonl_texts(path)


def fixed_split(corpus: str, article_id: str) -> str:
    """The split an article of a registered corpus belongs to, by rule, so that dev never drifts."""
    prefixes = CORPORA[corpus].dev_prefixes
    return "dev" if hashlib.sha256(article_id.encode("utf-8")).hexdigest()[0] in prefixes else "train"


def blind_ids(hint: Path | None = None) -> frozenset[str]:
    """Ids of the blind test set, which must never be annotated (empty when the file is absent)."""
    directory = corpus_dir(hint)
    path = directory / BLIND_FILE if directory else None
    if path is None or not path.is_file():
        return frozenset()
    return frozenset(_load_jsonl_texts(path))


# The baomoi-2017 crawl has no publication dates, but its ids grow with time. Each point is an id and the
# 75th-percentile latest "dd/mm/2017" date written in articles of that id range (measured over the corpus).
_BAOMOI_ID_DATES = (
    (21_400_000, dt.date(2017, 2, 8)),
    (21_500_000, dt.date(2017, 2, 12)),
    (21_700_000, dt.date(2017, 3, 20)),
    (22_200_000, dt.date(2017, 5, 14)),
    (22_300_000, dt.date(2017, 5, 25)),
    (22_400_000, dt.date(2017, 6, 5)),
    (22_500_000, dt.date(2017, 6, 18)),
    (22_600_000, dt.date(2017, 7, 2)),
    (22_700_000, dt.date(2017, 7, 12)),
    (22_800_000, dt.date(2017, 7, 25)),
)


def estimated_publication(corpus: str, article_id: str) -> dt.date | None:
    """An approximate publication date (within a few weeks) for corpora whose ids grow with time."""
    if corpus != "baomoi-2017" or not article_id.isdigit():
        return None
    ids = [i for i, _ in _BAOMOI_ID_DATES]
    n = int(article_id)
    k = min(max(bisect.bisect_left(ids, n), 1), len(ids) - 1)
    (i0, d0), (i1, d1) = _BAOMOI_ID_DATES[k - 1], _BAOMOI_ID_DATES[k]
    days = (d1 - d0).days * min(max((n - i0) / (i1 - i0), 0.0), 1.0)
    return d0 + dt.timedelta(days=round(days))
