"""stancekit: tag official statements with their stance toward a state's sovereignty.

>>> import stancekit
>>> results = stancekit.classify(["Spain does not recognise Kosovo's independence."])  # doctest: +SKIP
>>> results[0].label, results[0].state, results[0].dispute  # doctest: +SKIP
('favor', 'Serbia', 'kosovo')
"""

__version__ = "0.1.0"

from .archive_labels import LabelledLines, read_labelled_lines
from .background import Background, background_sentences
from .classifier import StanceClassifier
from .compare import Comparison, compare
from .corpus import read_records, validate
from .errors import (
    CorpusError,
    InputError,
    LabelError,
    ModelError,
    ModelIntegrityError,
    ModelVersionError,
    StancekitError,
)
from .frame import classify_frame
from .labels import DEFAULT_LABELS
from .model import StanceModel, list_models, load
from .results import Result, classify, iter_classify
from .suggest import suggest
from .tally import Tally, tally, tally_files
from .train import Report, cross_validate, evaluate, train
from .wordvectors import WordVectors, build_vectors, load_vectors

__all__ = [
    "DEFAULT_LABELS",
    "Background",
    "Comparison",
    "CorpusError",
    "InputError",
    "LabelError",
    "LabelledLines",
    "ModelError",
    "ModelIntegrityError",
    "ModelVersionError",
    "Report",
    "Result",
    "StanceClassifier",
    "StanceModel",
    "StancekitError",
    "Tally",
    "WordVectors",
    "__version__",
    "background_sentences",
    "build_vectors",
    "classify",
    "classify_frame",
    "compare",
    "cross_validate",
    "evaluate",
    "iter_classify",
    "list_models",
    "load",
    "load_vectors",
    "read_labelled_lines",
    "read_records",
    "suggest",
    "tally",
    "tally_files",
    "train",
    "validate",
]
