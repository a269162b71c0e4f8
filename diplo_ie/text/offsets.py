"""Exact offset maps through text edits.

Each cleaning step (HTML removal, Unicode normalization, boilerplate removal) is a list of :class:`Edit`.
Applying it keeps, for every character of the result, the span of the source it stands for, so spans found
on the cleaned text map back onto the input as given. Maps are arrays of machine integers: a multi-megabyte
article costs 16 bytes a character, not a Python object per offset.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` (never empty) by ``replacement`` (possibly empty)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class OffsetMap:
    """Character ``i`` of an edited text stands for ``source[starts[i]:ends[i]]``."""

    starts: array
    ends: array

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(array("q", range(length)), array("q", range(1, length + 1)))

    def __len__(self) -> int:
        return len(self.starts)

    def then(self, inner: OffsetMap) -> OffsetMap:
        """The map of ``inner`` (an edit of the text this map describes) back to this map's source."""
        starts, ends = self.starts, self.ends
        return OffsetMap(
            array("q", map(starts.__getitem__, inner.starts)),
            array("q", (ends[e - 1] for e in inner.ends)),
        )


@dataclass(frozen=True)
class EditedText:
    """A text after some edits, with the map back to the source (``None`` while nothing changed)."""

    text: str
    mapping: OffsetMap | None = None

    def edit(self, edits: list[Edit]) -> EditedText:
        if not edits:
            return self
        text, inner = apply_edits(self.text, edits)
        return EditedText(text, inner if self.mapping is None else self.mapping.then(inner))

    def offset_map(self) -> OffsetMap:
        return self.mapping if self.mapping is not None else OffsetMap.identity(len(self.text))


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits; return the new text and its map into ``text``."""
    out: list[str] = []
    starts, ends = array("q"), array("q")
    pos = 0
    for edit in edits:
        out.append(text[pos : edit.start])
        starts.extend(range(pos, edit.start))
        ends.extend(range(pos + 1, edit.start + 1))
        out.append(edit.replacement)
        starts.extend([edit.start] * len(edit.replacement))
        ends.extend([edit.end] * len(edit.replacement))
        pos = edit.end
    out.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return "".join(out), OffsetMap(starts, ends)
