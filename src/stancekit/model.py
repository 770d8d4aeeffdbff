"""A trained model with its model card; saving and loading with integrity checks.

File format (``.skmodel``)::

    STANCEKIT-MODEL 1\\n
    {JSON header: versions, payload size and SHA-256, model card}\\n
    <joblib pickle of the fitted StanceClassifier>

The header is read and checked *before* anything is unpickled: the format version,
the stancekit and scikit-learn versions the model was saved with, and the SHA-256 and
size of the payload. A changed, truncated or foreign file is refused with a
:class:`~stancekit.errors.ModelError`. Unpickling still runs code: load model files
only from sources you trust.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from . import __version__
from .classifier import StanceClassifier
from .errors import ModelError, ModelIntegrityError, ModelVersionError

__all__ = [
    "StanceModel",
    "default_model_path",
    "from_bytes",
    "list_models",
    "load",
    "model_dir",
    "named_model_path",
    "resolve_model",
    "versions",
]

MAGIC = b"STANCEKIT-MODEL"
FORMAT_VERSION = 1
SUFFIX = ".skmodel"
DEFAULT_NAME = "default"
_MAX_HEADER = 4 * 1024 * 1024


def versions() -> dict[str, str]:
    """Versions of stancekit and the libraries a model depends on."""
    import platform

    import sklearn
    import spacy

    return {
        "stancekit": __version__,
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "joblib": joblib.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def _minor(version: str) -> tuple[int, ...]:
    parts = []
    for p in version.split(".")[:2]:
        digits = "".join(ch for ch in p if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


class StanceModel:
    """A fitted :class:`StanceClassifier` with its model card.

    Use :func:`stancekit.load` to get one, :func:`stancekit.train` to make one.

    Parameters
    ----------
    estimator : StanceClassifier
        A fitted classifier.
    card : dict, optional
        The model card (labels, corpus, metrics, versions).
    """

    def __init__(self, estimator: StanceClassifier, card: dict[str, Any] | None = None):
        self.estimator = estimator
        self.card: dict[str, Any] = dict(card or {})
        self.card.setdefault("labels", [str(c) for c in estimator.classes_])
        self.path: Path | None = None

    @property
    def classes_(self) -> np.ndarray:
        """The labels, in the order of :meth:`predict_proba` columns."""
        return self.estimator.classes_

    def predict(self, texts: Iterable[str], actors: Iterable[str | None] | None = None) -> list[str]:
        """The most probable label of each statement.

        ``actors`` (optional): who speaks, one name or code (or None) per statement, so
        that "we" and "our" read as the speaker (see :meth:`StanceClassifier.analyze`).
        """
        return [str(label) for label in self.estimator.predict(list(texts), actors)]

    def predict_proba(self, texts: Iterable[str], actors: Iterable[str | None] | None = None) -> np.ndarray:
        """Class probabilities; rows sum to 1, columns in :attr:`classes_` order (``actors``: see :meth:`predict`)."""
        return self.estimator.predict_proba(list(texts), actors)

    def classify(self, texts: Iterable[str], **kwargs: Any) -> list[Any]:
        """Shortcut for :func:`stancekit.classify` with this model."""
        from .results import classify

        return classify(texts, model=self, **kwargs)

    def explain(self, text: str, *, top: int = 10, actor: str | None = None) -> dict[str, Any]:
        """The n-grams that pushed ``text`` toward its label; see :meth:`StanceClassifier.explain`."""
        return self.estimator.explain(text, top=top, actor=actor)

    def __repr__(self) -> str:
        where = f" from {self.path}" if self.path else ""
        return f"<StanceModel labels={list(self.card.get('labels', []))}{where}>"

    # -- persistence -----------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model atomically (a temporary file renamed into place).

        Parameters
        ----------
        path : str or Path
            Destination; ``.skmodel`` is the usual suffix.

        Returns
        -------
        Path
            The written path.
        """
        path = Path(path)
        data, card = self._serialize()
        parent = path.parent if str(path.parent) else Path(".")
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        except OSError as exc:
            raise ModelError(
                f"cannot write model to {path}: {exc.strerror}; check the directory exists and is writable"
            ) from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; a model is meant to be shared
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.card = card
        self.path = path
        return path

    def to_bytes(self) -> bytes:
        """The model in the ``.skmodel`` file format, as bytes (see :func:`from_bytes`)."""
        return self._serialize()[0]

    def _serialize(self) -> tuple[bytes, dict[str, Any]]:
        buf = io.BytesIO()
        joblib.dump(self.estimator, buf, compress=3)
        payload = buf.getvalue()
        digest = hashlib.sha256(payload).hexdigest()
        card = dict(self.card)
        card["versions"] = versions()
        card["sha256"] = digest
        header = {
            "format": FORMAT_VERSION,
            "stancekit_version": __version__,
            "sklearn_version": card["versions"]["scikit-learn"],
            "payload_bytes": len(payload),
            "payload_sha256": digest,
            "card": card,
        }
        data = MAGIC + b" " + str(FORMAT_VERSION).encode() + b"\n" + json.dumps(header).encode() + b"\n" + payload
        return data, card


def read_header(path: str | Path) -> tuple[dict[str, Any], int]:
    """Read and check a model file's header without unpickling anything.

    Returns
    -------
    (header, offset)
        The JSON header and the byte offset where the payload starts.

    Raises
    ------
    ModelError
        If the file is missing, not a stancekit model, or its header is damaged.
    """
    path = Path(path)
    if path.is_dir():
        raise ModelError(f"model path {path} is a directory; give a .skmodel file")
    try:
        with open(path, "rb") as fh:
            return _parse_header(fh, path)
    except FileNotFoundError:
        raise ModelError(f"model file {path} does not exist; check the path or run `stancekit models list`") from None
    except OSError as exc:
        raise ModelError(f"cannot read model file {path}: {exc.strerror}") from exc


def _parse_header(fh: Any, path: str | Path) -> tuple[dict[str, Any], int]:
    first = fh.readline(64)
    second = fh.readline(_MAX_HEADER)
    if not first.startswith(MAGIC):
        raise ModelError(
            f"{path} is not a stancekit model (it does not start with {MAGIC.decode()!r}); "
            "give a file written by `stancekit train` or StanceModel.save"
        )
    try:
        header = json.loads(second)
        fmt = int(header["format"])
    except (ValueError, KeyError, TypeError):
        raise ModelIntegrityError(f"{path}: the model header is damaged; the file was truncated or edited") from None
    if fmt > FORMAT_VERSION:
        raise ModelVersionError(
            f"{path} uses model format {fmt}, newer than this stancekit {__version__} reads "
            f"(format {FORMAT_VERSION}); upgrade stancekit"
        )
    return header, len(first) + len(second)


def load(path: str | Path | None = None) -> StanceModel:
    """Load a model: the shipped default when ``path`` is None.

    Parameters
    ----------
    path : str or Path, optional
        A ``.skmodel`` file, or the name of a model in the models directory
        (``stancekit models list``).

    Returns
    -------
    StanceModel

    Raises
    ------
    ModelError
        If the file is missing, not a stancekit model, changed or truncated since it was
        saved (SHA-256 mismatch), or saved with an incompatible stancekit or
        scikit-learn version.
    """
    resolved = resolve_model(path)
    header, offset = read_header(resolved)
    with open(resolved, "rb") as fh:
        fh.seek(offset)
        payload = fh.read()
    model = _from_payload(header, payload, resolved)
    model.path = resolved
    return model


def from_bytes(data: bytes, *, source: str = "<bytes>") -> StanceModel:
    """Load a model from bytes made by :meth:`StanceModel.to_bytes`, with :func:`load`'s checks.

    Parameters
    ----------
    data : bytes
        The content of a ``.skmodel`` file.
    source : str, default="<bytes>"
        Where the bytes come from, for error messages.

    Returns
    -------
    StanceModel

    Raises
    ------
    ModelError
        As :func:`load`.
    """
    header, offset = _parse_header(io.BytesIO(bytes(data)), source)
    return _from_payload(header, bytes(data)[offset:], source)


def _from_payload(header: dict[str, Any], payload: bytes, resolved: str | Path) -> StanceModel:
    """Check versions, size and digest of a payload, then unpickle it."""
    import sklearn

    saved_sk = str(header.get("sklearn_version", "?"))
    saved_kit = str(header.get("stancekit_version", "?"))
    if _minor(saved_sk) != _minor(sklearn.__version__):
        raise ModelVersionError(
            f"{resolved} was saved with scikit-learn {saved_sk} (stancekit {saved_kit}); this is "
            f"scikit-learn {sklearn.__version__} (stancekit {__version__}), whose pickles are not "
            f"compatible; install scikit-learn=={saved_sk} or retrain with `stancekit train`"
        )
    if _minor(saved_kit)[:1] != _minor(__version__)[:1] or _minor(saved_kit) > _minor(__version__):
        raise ModelVersionError(
            f"{resolved} was saved with stancekit {saved_kit}; this is stancekit {__version__}; "
            f"install stancekit=={saved_kit} or retrain with `stancekit train`"
        )
    expected_size = header.get("payload_bytes")
    if expected_size is not None and len(payload) != expected_size:
        raise ModelIntegrityError(
            f"{resolved} is truncated or padded: payload is {len(payload)} bytes, "
            f"the header records {expected_size}; copy the file again"
        )
    digest = hashlib.sha256(payload).hexdigest()
    if digest != header.get("payload_sha256"):
        raise ModelIntegrityError(
            f"{resolved} has changed since it was saved: SHA-256 {digest[:16]}... does not match "
            f"the recorded {str(header.get('payload_sha256'))[:16]}...; refusing to load it"
        )
    try:
        estimator = joblib.load(io.BytesIO(payload))
    except ModelError as exc:  # e.g. the word vectors it refers to are missing or different
        raise ModelError(f"{resolved}: {exc}") from None
    except Exception as exc:  # a matching digest makes this unlikely; report it cleanly
        raise ModelError(f"{resolved} could not be unpickled: {type(exc).__name__}: {exc}") from exc
    if not isinstance(estimator, StanceClassifier):
        raise ModelError(f"{resolved} holds a {type(estimator).__name__}, not a StanceClassifier")
    return StanceModel(estimator, header.get("card"))


def model_dir() -> Path:
    """The directory of named models: the installed package's, or the source tree's."""
    packaged = Path(str(resources.files("stancekit"))) / "models"
    if (packaged / f"{DEFAULT_NAME}{SUFFIX}").exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "models"


def default_model_path() -> Path:
    """Path of the shipped default model."""
    return model_dir() / f"{DEFAULT_NAME}{SUFFIX}"


def list_models() -> dict[str, Path]:
    """Named models available, ``{name: path}``."""
    d = model_dir()
    return {p.stem: p for p in sorted(d.glob(f"*{SUFFIX}"))} if d.is_dir() else {}


_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def named_model_path(name: str, *, force: bool = False) -> Path:
    """Where a named model is saved (``models/NAME.skmodel``), so ``--model NAME`` finds it.

    Parameters
    ----------
    name : str
        Letters, digits, ``-`` and ``_`` (no dots or slashes: a name is not a path).
    force : bool, default=False
        Allow replacing the shipped ``default`` model.

    Returns
    -------
    Path

    Raises
    ------
    ModelError
        If the name is not valid, or is ``default`` without ``force``.
    """
    if not _NAME_RE.fullmatch(name):
        raise ModelError(
            f"model name {name!r} is not valid; use letters, digits, '-' and '_' (e.g. 'extended-2024'), "
            "or save to a path with -o"
        )
    if name == DEFAULT_NAME and not force:
        raise ModelError(
            f"refusing to overwrite the shipped {DEFAULT_NAME!r} model; choose another name, or pass --force "
            "(force=True) to replace it"
        )
    return model_dir() / f"{name}{SUFFIX}"


def resolve_model(path: str | Path | None) -> Path:
    """Turn None, a model name or a path into a model file path."""
    if path is None:
        return default_model_path()
    p = Path(path)
    if p.exists() or p.suffix or os.sep in str(path):
        return p
    named = list_models()
    if str(path) in named:
        return named[str(path)]
    raise ModelError(f"no model file or named model {str(path)!r}; named models: {', '.join(named) or '(none)'}")
