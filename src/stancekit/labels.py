"""The label scheme: the default stance labels and checks on user schemes."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import LabelError

__all__ = ["DEFAULT_LABELS", "LABEL_DESCRIPTIONS", "check_labels"]

#: The default scheme: stance toward the sovereignty and territorial integrity of the
#: state concerned. See ``corpus/GUIDELINES.md`` for the full definitions.
DEFAULT_LABELS: tuple[str, ...] = ("favor", "against", "neutral", "none")

LABEL_DESCRIPTIONS: dict[str, str] = {
    "favor": "affirms or defends the state's sovereignty or territorial integrity; "
    "refuses recognition of a breakaway entity; condemns secession or annexation",
    "against": "supports the entity's independence, secession or recognition; endorses an "
    "annexation; denies the state's sovereignty over the territory",
    "neutral": "addresses the status question without taking a side (dialogue, restraint, abstention, taking note)",
    "none": "no bearing on sovereignty or territorial status (trade, aid, culture, "
    "non-territorial senses of 'sovereignty')",
}


def check_labels(labels: Iterable[object], scheme: Iterable[str] | None = None) -> list[str]:
    """Check that labels are non-empty strings, optionally from a given scheme.

    Parameters
    ----------
    labels : iterable
        The labels to check.
    scheme : iterable of str, optional
        The allowed labels. When None, any non-empty string is allowed.

    Returns
    -------
    list of str
        The labels, as a list.

    Raises
    ------
    LabelError
        If a label is not a non-empty string or not in ``scheme``.
    """
    allowed = set(scheme) if scheme is not None else None
    out = []
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip():
            raise LabelError(
                f"label {label!r} at position {i} is not a non-empty string; "
                "give every statement a label such as 'favor'"
            )
        if allowed is not None and label not in allowed:
            raise LabelError(
                f"label {label!r} at position {i} is not in the scheme "
                f"{sorted(allowed)}; fix the label or pass the scheme you use (--labels)"
            )
        out.append(label)
    return out
