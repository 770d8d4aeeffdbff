"""The ``stancekit`` spaCy component: factory, annotations, serialisation with the pipeline."""

from __future__ import annotations

import importlib
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from stancekit import InputError, ModelError, ModelIntegrityError
from stancekit.spacy_component import StanceComponent, make_stancekit

TEXTS = [
    "Spain does not recognise Kosovo's independence.",
    "We recognise the independence of the Republic of Abkhazia.",
    "Exports of citrus fruit rose sharply this season.",
    "We call on both sides to show restraint and return to talks.",
]


@pytest.fixture
def nlp(small_model_path):
    """A blank English pipeline with a sentencizer before the stance component."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("stancekit", config={"model": str(small_model_path)})
    return nlp


def _scores(docs):
    return [d._.stance_scores for d in docs]


def test_factory_is_published_through_the_spacy_factories_entry_point():
    (ep,) = [e for e in entry_points(group="spacy_factories") if e.name == "stancekit"]
    assert ep.load() is make_stancekit
    # A fresh interpreter that imports only spaCy finds the factory (the model loads lazily).
    code = (
        "import spacy, sys; nlp = spacy.blank('en'); pipe = nlp.add_pipe('stancekit'); "
        "print(type(pipe).__name__, nlp.pipe_names, nlp.get_pipe_meta('stancekit').assigns)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "StanceComponent ['stancekit']" in out.stdout and "doc._.stance_scores" in out.stdout


def test_annotations_match_the_model(nlp, small_model):
    docs = list(nlp.pipe(TEXTS, batch_size=3))
    results = small_model.classify(TEXTS)
    assert [d._.stance for d in docs] == [r.label for r in results]
    assert _scores(docs) == [r.scores for r in results]
    assert [d.cats for d in docs] == [r.scores for r in results]
    first = docs[0]._.stance_result
    assert first == results[0].to_dict() and first["state"] == "Serbia" and first["dispute"] == "kosovo"
    # the component does not disturb what came before it
    assert all(d.has_annotation("SENT_START") for d in docs)
    single = nlp(TEXTS[1])
    assert single._.stance == docs[1]._.stance and single.cats == docs[1].cats


def test_empty_doc_gets_an_error_not_an_exception(nlp):
    (empty, full) = nlp.pipe(["   ", TEXTS[0]])
    assert empty._.stance is None and empty._.stance_scores == {} and empty.cats == {}
    assert empty._.stance_result["error"] == "empty text"
    assert full._.stance is not None


def test_predict_is_apart_from_set_annotations(nlp, small_model):
    component = nlp.get_pipe("stancekit")
    docs = [nlp.make_doc(t) for t in TEXTS[:2]]
    results = component.predict(docs)
    assert [r.label for r in results] == small_model.predict(TEXTS[:2])
    assert all(d._.stance is None and d.cats == {} for d in docs)  # predict wrote nothing
    component.set_annotations(docs, results)
    assert [d._.stance for d in docs] == [r.label for r in results]


def test_min_confidence_setting_marks_uncertain_results(small_model_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("stancekit", config={"model": str(small_model_path), "min_confidence": 1.0})
    doc = nlp(TEXTS[3])
    assert doc._.stance_result["uncertain"] is True
    with pytest.raises(InputError, match=r"min_confidence=1\.5"):
        spacy.blank("en").add_pipe("stancekit", config={"min_confidence": 1.5})


def test_model_errors_are_clear_and_lazy():
    nlp = spacy.blank("en")
    component = nlp.add_pipe("stancekit", config={"model": "no-such-model.skmodel"})  # nothing loaded yet
    assert component.labels == () and not hasattr(component, "model")  # spaCy probes `model`
    with pytest.raises(ModelError, match=r"no-such-model\.skmodel does not exist"):
        nlp("Some text.")
    with pytest.raises(InputError, match="must be a StanceModel"):
        component.stance_model = "a string"


def test_an_in_memory_model_can_be_assigned(small_model):
    nlp = spacy.blank("en")
    component = nlp.add_pipe("stancekit", config={"model": "unused.skmodel"})
    component.stance_model = small_model
    assert component.labels == tuple(small_model.classes_)
    assert nlp(TEXTS[0])._.stance == small_model.predict(TEXTS[:1])[0]


def test_to_disk_and_spacy_load_keep_the_model(small_model_path, tmp_path):
    # The config names a model file; the saved pipeline must not depend on that file.
    copy = tmp_path / "copy.skmodel"
    copy.write_bytes(small_model_path.read_bytes())
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("stancekit", config={"model": str(copy)})
    expected = _scores(nlp.pipe(TEXTS))
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "stancekit" / "model.skmodel").is_file()
    copy.unlink()
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == ["sentencizer", "stancekit"]
    assert isinstance(loaded.get_pipe("stancekit"), StanceComponent)
    assert _scores(loaded.pipe(TEXTS)) == expected
    assert loaded.meta["labels"]["stancekit"] == list(nlp.get_pipe("stancekit").labels)


def test_a_changed_model_file_in_a_saved_pipeline_is_refused(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    path = tmp_path / "pipeline" / "stancekit" / "model.skmodel"
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="changed since it was saved"):
        spacy.load(tmp_path / "pipeline")


def test_to_bytes_from_bytes_round_trip(nlp):
    expected = _scores(nlp.pipe(TEXTS))
    data = nlp.to_bytes()
    fresh = spacy.blank("en")
    fresh.add_pipe("sentencizer")
    fresh.add_pipe("stancekit", config={"model": "elsewhere.skmodel"})
    fresh.from_bytes(data)
    assert _scores(fresh.pipe(TEXTS)) == expected
    again = spacy.util.load_model_from_config(nlp.config).from_bytes(data)
    assert _scores(again.pipe(TEXTS)) == expected


def test_annotations_survive_docbin(nlp):
    docs = list(nlp.pipe(TEXTS[:2]))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert [d._.stance for d in back] == [d._.stance for d in docs]
    assert [d._.stance_result for d in back] == [d._.stance_result for d in docs]
    assert [d.cats for d in back] == [d.cats for d in docs]


def test_nlp_evaluate_scores_the_categories(nlp):
    labels = [str(c) for c in nlp.get_pipe("stancekit").stance_model.classes_]
    predicted = [nlp(t)._.stance for t in TEXTS]

    def examples(gold):
        out = []
        for text, label in zip(TEXTS, gold, strict=True):
            reference = nlp.make_doc(text)
            reference.cats = {lab: float(lab == label) for lab in labels}
            out.append(Example(nlp.make_doc(text), reference))
        return out

    right = nlp.evaluate(examples(predicted))
    assert right["cats_micro_f"] == 1.0 and set(right["cats_f_per_type"]) == set(labels)
    wrong = [next(lab for lab in labels if lab != predicted[0]), *predicted[1:]]
    assert nlp.evaluate(examples(wrong))["cats_micro_f"] == pytest.approx(0.75)


def test_extensions_are_registered_once_and_reimport_is_harmless():
    from stancekit import spacy_component

    before = {name: Doc.get_extension(name) for name in spacy_component.EXTENSIONS}
    importlib.reload(spacy_component)
    spacy_component._register_extensions()
    assert {name: Doc.get_extension(name) for name in spacy_component.EXTENSIONS} == before


def test_spacy_error_handler_receives_failures():
    nlp = spacy.blank("en")
    nlp.add_pipe("stancekit", config={"model": "no-such-model.skmodel"})
    seen = []
    nlp.set_error_handler(lambda name, component, docs, exc: seen.append((name, len(docs), type(exc))))
    docs = list(nlp.pipe(["One.", "Two.", "Three."], batch_size=2))
    assert len(docs) == 3 and all(d._.stance is None for d in docs)
    assert seen == [("stancekit", 2, ModelError), ("stancekit", 1, ModelError)]


OWN_VOICE = "We will never give up an inch of our land and our sovereignty."


def test_speaker_from_the_doc_or_the_config(small_model_path, small_model):
    nlp = spacy.blank("en")
    stance = nlp.add_pipe("stancekit", config={"model": str(small_model_path), "actor": "Serbia"})
    expected = {a: small_model.classify([OWN_VOICE], actors=[a])[0].scores for a in ("Serbia", "Kosovo")}
    assert expected["Serbia"] != expected["Kosovo"]  # the speaker matters to the model
    # The pipeline's speaker for every Doc ...
    assert nlp(OWN_VOICE)._.stance_scores == expected["Serbia"]
    # ... unless a Doc names its own.
    doc = nlp.make_doc(OWN_VOICE)
    doc._.stance_actor = "Kosovo"
    assert stance(doc)._.stance_scores == expected["Kosovo"]
    mixed = [nlp.make_doc(OWN_VOICE) for _ in range(3)]
    mixed[1]._.stance_actor = "Kosovo"
    assert [d._.stance_scores for d in stance.pipe(mixed)] == [
        expected["Serbia"],
        expected["Kosovo"],
        expected["Serbia"],
    ]
    # No speaker at all: the text alone.
    plain = spacy.blank("en")
    plain.add_pipe("stancekit", config={"model": str(small_model_path)})
    assert plain(OWN_VOICE)._.stance_scores == small_model.classify([OWN_VOICE])[0].scores
    with pytest.raises(InputError, match="actor=3 is a int"):
        StanceComponent(nlp.vocab, actor=3)
