"""Cue lexicons: words grouped by what they signal in diplomatic language.

With ``cues=True`` the preprocessor adds a ``CUE_<group>`` token for every lexicon word
it meets (keeping the word itself), and ``NOCUE_status`` when a statement has no status
cue at all. The groups let the classifier generalise to words its corpus never used
(an unseen trade term still signals ``CUE_economy``).
"""

from __future__ import annotations

__all__ = ["CUES", "cue_groups"]

_RAW: dict[str, str] = {
    "status": (
        "sovereignty sovereign integrity territorial territory border frontier boundary independence "
        "independent secession secede secessionist separatism separatist separation breakaway recognize "
        "recognition unrecognized derecognize annex annexation occupy occupation occupier occupant "
        "self-determination determination referendum plebiscite status statehood reunification "
        "unification reunify partition colonial colonialism colony decolonization liberation liberate "
        "inalienable indivisible unity puppet so-called illegitimate illegal unilateral declaration "
        "integral homeland motherland claim jurisdiction autonomy autonomous"
    ),
    "dialogue": (
        "dialogue negotiation negotiate talk restraint peaceful peacefully settlement solution compromise "
        "de-escalation deescalation calm mediation mediator mediate good-offices acceptable mutually "
        "parties sides consultation reconciliation confidence-building ceasefire envoy process"
    ),
    "concern": "concern worry worried alarm tension stability instability escalation regret",
    "condemn": "condemn condemnation reject denounce deplore oppose opposition violation violate breach null void",
    "support": "support welcome congratulate hail endorse back salute applaud praise",
    "economy": (
        "trade export import investment investor tourism tourist business economic economy market company "
        "firm contract customs flight airline price tariff bank loan oil gas wine pipeline port shipping "
        "cargo revenue budget tax fishery fisheries mining nickel phosphate energy electricity infrastructure "
        "commercial commerce industry exhibition fair supply goods"
    ),
    "humanitarian": (
        "aid relief humanitarian refugee vaccine health hospital earthquake flood disaster drought famine "
        "medical education school scholarship pandemic covid donation"
    ),
    "culture": "sport football olympic olympics match tournament culture cultural festival music film museum art",
}

#: Word (lemma) -> cue group.
CUES: dict[str, str] = {w: group for group, words in _RAW.items() for w in words.split()}


def cue_groups() -> list[str]:
    """The names of the cue groups."""
    return list(_RAW)
