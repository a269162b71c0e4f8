"""The errors the library raises on purpose: each message is one line that says what to fix."""


class InputError(ValueError):
    """Input that cannot be processed (empty, not Vietnamese, not UTF-8, a bad publication date); the message
    names the input and says why."""


class ModelLoadError(Exception):
    """A saved model that cannot be loaded: missing, truncated or corrupt files; the message names the
    file."""


class ModelNotFoundError(ModelLoadError, FileNotFoundError):
    """No saved model at the given path (or no shipped default model in this installation)."""


__all__ = ["InputError", "ModelLoadError", "ModelNotFoundError"]
