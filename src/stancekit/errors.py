"""Exceptions raised on purpose by stancekit.

Every error stancekit raises deliberately derives from :class:`StancekitError`, so
callers can catch them all with one ``except`` clause; each also derives from the
built-in exception that fits (``ValueError``, ``OSError``) so generic handlers work.
"""

from __future__ import annotations

__all__ = [
    "CorpusError",
    "InputError",
    "LabelError",
    "ModelError",
    "ModelIntegrityError",
    "ModelVersionError",
    "StancekitError",
]


class StancekitError(Exception):
    """Base class of every error stancekit raises on purpose."""


class InputError(StancekitError, ValueError):
    """An input file or value cannot be read as expected.

    Parameters
    ----------
    message : str
        What is wrong, what was expected and how to fix it.
    path : str, optional
        The file concerned.
    line : int, optional
        The 1-based line (or row) number concerned.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


class CorpusError(InputError):
    """A corpus file breaks the corpus schema (see ``stancekit corpus validate``)."""


class LabelError(StancekitError, ValueError):
    """A label is not in the label scheme in use."""


class ModelError(StancekitError, ValueError):
    """A model file cannot be loaded or saved."""


class ModelIntegrityError(ModelError):
    """A model file does not match the digest recorded when it was saved."""


class ModelVersionError(ModelError):
    """A model file was written by an incompatible stancekit or scikit-learn version."""
