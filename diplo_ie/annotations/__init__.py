"""Gold annotations: the file format, stand-off resolution, validation, statistics and converters."""

from diplo_ie.annotations.compact import compile_compact
from diplo_ie.annotations.corpus import CorpusUnavailableError
from diplo_ie.annotations.store import AnnotationFormatError, load_documents, save_documents
from diplo_ie.annotations.validate import validate_paths

__all__ = [
    "AnnotationFormatError",
    "CorpusUnavailableError",
    "compile_compact",
    "load_documents",
    "save_documents",
    "validate_paths",
]
