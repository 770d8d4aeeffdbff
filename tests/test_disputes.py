"""The dispute registry as rows."""

from __future__ import annotations

from stancekit.disputes import CLAIMANTS, DISPUTES, DISPUTES_BY_STATE, countries, registry


def test_registry_rows_follow_the_disputes_and_claimants():
    rows = registry()
    assert [r["key"] for r in rows] == list(DISPUTES)
    by_key = {r["key"]: r for r in rows}
    assert by_key["falklands"]["claimant"] == "Argentina" and by_key["kosovo"]["claimant"] is None
    assert by_key["palestine"]["state"] == "Palestine" and "West Bank" in by_key["palestine"]["names"]
    known = countries()
    for r in rows:
        assert r["state"] in known and r["names"][0] == r["entity"]
        assert r["claimant"] == CLAIMANTS.get(r["key"])
        # A historical dispute never follows from its state's name alone.
        assert (r["key"] in DISPUTES_BY_STATE.get(r["state"], [])) is not r["historical"]
    assert {r["key"] for r in rows if r["historical"]} == {
        "southern_rhodesia",
        "portuguese_colonies",
        "french_somaliland",
    }
    # Rows are copies: changing one leaves the registry as it was.
    rows[0]["names"].append("Atlantis")
    assert "Atlantis" not in registry()[0]["names"]
