"""The ``stancekit`` command line: a thin layer over the library.

Exit codes: 0 success; 1 the run finished but some rows could not be classified (or a
corpus has problems, or a quality floor was missed); 2 a usage error or a problem with
the whole run (missing file or column, bad model file); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import StancekitError

EXIT_OK, EXIT_ROWS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def _err(message: str) -> None:
    print(f"stancekit: error: {message}", file=sys.stderr)


def _labels_arg(value: str) -> list[str]:
    labels = [v.strip() for v in value.split(",") if v.strip()]
    if len(labels) < 2:
        raise argparse.ArgumentTypeError(f"--labels {value!r}: give at least two labels separated by commas")
    return labels


def _probability(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return x


def _grid_arg(value: str) -> dict[str, list[Any]]:
    try:
        grid = json.loads(value)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"--grid {value!r} is not valid JSON ({exc.msg})") from None
    if not isinstance(grid, dict) or not all(isinstance(v, list) and v for v in grid.values()):
        raise argparse.ArgumentTypeError(
            f'--grid {value!r}: give a JSON object of non-empty lists, e.g. \'{{"C": [1, 10], "min_df": [1, 2]}}\''
        )
    return grid


def _model_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="PATH", help="model file or name (default: the shipped model)")


def _actor_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--actor-field",
        default="actor",
        metavar="NAME",
        help="field/column naming who speaks, used where a row has it: 'we', 'our' then read as the speaker "
        "(default: actor)",
    )
    p.add_argument("--no-actor", action="store_true", help="ignore who speaks; read the text alone")


def _actor_field(args: argparse.Namespace) -> str | None:
    return None if args.no_actor else (args.actor_field or None)


# -- commands -----------------------------------------------------------------
def cmd_classify(args: argparse.Namespace) -> int:
    import gc
    import signal

    from .batch import classify_files
    from .io import partial_path
    from .progress import Progress

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM stops the run like Ctrl-C: workers stopped, partial output handled

    previous = signal.signal(signal.SIGTERM, _terminate)
    # A batch run allocates many small, short-lived objects while its caches (tokens,
    # vocabulary) only grow: collecting the young generation less often, and never
    # rescanning what was loaded at start-up, saves about a tenth of the run time.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        summary = classify_files(
            args.inputs,
            args.output,
            model=args.model,
            fmt=args.format,
            text_field=args.text_field,
            actor_field=_actor_field(args),
            encoding=args.encoding,
            max_chars=args.max_chars,
            min_confidence=args.min_confidence,
            jobs=args.jobs,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=Progress(enabled=False if args.quiet else None),
        )
    except BaseException:
        if args.resume and args.output and partial_path(args.output).exists():
            print(
                f"stancekit: partial output kept in {partial_path(args.output)}; run again with --resume to continue",
                file=sys.stderr,
            )
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not args.quiet:
        print(f"stancekit: {summary.line()}", file=sys.stderr)
    if summary.warnings:
        print(
            f"stancekit: {summary.warnings} row(s) classified with a warning (see 'warning'; most of their words "
            "are unknown to the model, as in text not in English):",
            file=sys.stderr,
        )
        for ex in summary.warned:
            print(f"  {ex}", file=sys.stderr)
    if summary.errors:
        print(f"stancekit: {summary.errors} row(s) could not be classified (label null, see 'error'):", file=sys.stderr)
        for ex in summary.examples:
            print(f"  {ex}", file=sys.stderr)
        return EXIT_ROWS
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    import warnings

    from .card import format_training
    from .model import named_model_path
    from .train import train

    if (args.output is None) == (args.name is None):
        _err("say where to save the model: give one of -o MODEL (a path) or --name NAME (a named model)")
        return EXIT_ERROR
    dest = named_model_path(args.name, force=args.force) if args.name else Path(args.output)
    if not dest.parent.is_dir():  # before training, not after
        _err(f"cannot save the model to {dest}: directory {dest.parent} does not exist; create it first")
        return EXIT_ERROR
    params: dict[str, Any] = {"random_state": args.seed}
    if args.C is not None:
        params["C"] = args.C
    if args.loss is not None:
        params["loss"] = args.loss
    params.update({param: False for param in _READING_FLAGS if getattr(args, f"no_{param}")})
    grid = args.grid if args.grid is not None else (True if args.search else None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = train(
            args.corpora,
            labels=args.labels,
            cv=args.cv,
            eval_data=args.eval,
            near_threshold=args.near_duplicates or None,
            allow_overlap=args.allow_overlap,
            search_grid=grid,
            background=args.background,
            background_n=args.background_n,
            background_label=args.background_label,
            background_pool=args.background_pool,
            background_weight=args.background_weight,
            background_encoding=args.background_encoding,
            frames=args.frames,
            frames_except=args.frames_except,
            actor_field=args.actor_field,
            labelled_lines=args.labelled_lines,
            labelled_lines_weight=args.labelled_lines_weight,
            **params,
        )
    for w in caught:
        print(f"stancekit: WARNING: {w.message}", file=sys.stderr)
    path = model.save(dest)
    print(format_training(model.card))
    print(f"saved {path}" + (f" (use it with --model {args.name})" if args.name else ""))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .model import load
    from .train import predict_labelled

    model = load(args.model)
    predictions = predict_labelled(model, args.data, actor_field=_actor_field(args))
    report = predictions.report(args.by)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.format())
    if args.plot:
        from .plots import plot_evaluation

        p = predictions
        title = f"{', '.join(map(str, args.data))} — model {model.path.name if model.path else args.model}"
        plot_evaluation(p.gold, p.pred, p.proba, p.labels, path=args.plot, title=title)
        print(f"stancekit: wrote {args.plot} (confusion matrix and reliability diagram)", file=sys.stderr)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from .model import load

    model = load(args.model)
    text = " ".join(args.text)
    if not text.strip():
        _err("give a non-empty statement to explain")
        return EXIT_ERROR
    exp = model.explain(text, top=args.top, actor=args.actor)
    if args.json:
        print(json.dumps(exp, indent=2, ensure_ascii=False))
        return EXIT_OK
    scores = "  ".join(f"{k} {v:.2f}" for k, v in sorted(exp["scores"].items(), key=lambda kv: -kv[1]))
    print(f"label: {exp['label']}   ({scores})")
    if "sentence" in exp:  # a long statement, read by the sentence that decided it
        print(f"read from the sentence: {exp['sentence']}")
    print(f"tokens: {' '.join(exp['tokens'])}")
    print(f"pushed toward {exp['label']}:")
    for f, w in exp["for"]:
        print(f"  {w:+.3f}  {f}")
    print(f"pushed away from {exp['label']}:")
    for f, w in exp["against"]:
        print(f"  {w:+.3f}  {f}")
    return EXIT_OK


def cmd_corpus_validate(args: argparse.Namespace) -> int:
    from .corpus import FULL_FIELDS, REQUIRED_FIELDS, read_records, validate
    from .labels import DEFAULT_LABELS

    required = FULL_FIELDS if args.schema == "full" else REQUIRED_FIELDS
    labels = args.labels or (DEFAULT_LABELS if not args.any_labels else None)
    problems = validate(args.paths, required=required, labels=labels, near_threshold=args.near_duplicates or None)
    for p in problems:
        print(p)
    if problems:
        print(f"stancekit: {len(problems)} problem(s) found", file=sys.stderr)
        return EXIT_ROWS
    n = len(read_records(args.paths, required=required, labels=labels))
    print(f"ok: {n} records valid")
    return EXIT_OK


def cmd_corpus_stats(args: argparse.Namespace) -> int:
    from .corpus import read_records, stats

    records = read_records(args.paths)
    table = stats(records)
    if args.markdown:
        from .corpus import stats_markdown

        print(stats_markdown(records), end="")
        return EXIT_OK
    if args.json:
        print(json.dumps({k: dict(v.most_common()) for k, v in table.items()}, indent=2))
        return EXIT_OK
    print(f"records: {len(records)}")
    for name, counts in table.items():
        print(f"\nby {name}:")
        for k, v in counts.most_common():
            print(f"  {k:<28}{v:>6}  {100 * v / len(records):5.1f}%")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from .card import format_card
    from .model import read_header, resolve_model

    path = resolve_model(args.model)
    header, _ = read_header(path)
    if args.json:
        print(json.dumps(header, indent=2))
        return EXIT_OK
    print(f"stancekit {__version__}")
    print(f"model: {path}")
    print(format_card(header.get("card", {})))
    print(f"sha256: {header.get('payload_sha256')}")
    return EXIT_OK


def _write_rows(path: str | None, rows: Iterable[dict[str, Any]]) -> None:
    """Write ``rows`` to ``path`` (stdout when None) all or nothing: an error removes the file."""
    from .io import open_writer

    writer = open_writer(path)
    try:
        for row in rows:
            writer.write(row)
    except BaseException:
        writer.abort()
        raise
    writer.commit()


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare

    result = compare(args.model_a, args.model_b, args.data)
    if args.output:
        _write_rows(args.output, result.changed)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result.format(show=args.show))
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace) -> int:
    from .io import check_input, read_rows
    from .model import load
    from .suggest import SuggestSummary, suggest

    check_input(args.pool, args.format)
    model = load(args.model)
    summary = SuggestSummary()
    rows = read_rows(args.pool, fmt=args.format, text_field=args.text_field)
    picks = suggest(
        rows,
        model,
        n=args.n,
        strategy=args.strategy,
        pool_factor=args.pool_factor,
        max_similarity=args.max_similarity,
        exclude=args.exclude,
        summary=summary,
    )
    _write_rows(args.output, picks)
    print(f"stancekit: suggested {len(picks)} statement(s) from {summary.line()}", file=sys.stderr)
    for note in summary.notes:
        print(f"stancekit: note: {note}", file=sys.stderr)
    return EXIT_OK


def cmd_tally(args: argparse.Namespace) -> int:
    from .tally import tally_files

    where: dict[str, set[str]] = {}
    for name, value in args.where or ():
        where.setdefault(name, set()).add(value)
    result = tally_files(
        args.results,
        by=args.by,
        min_confidence=args.min_confidence,
        label_field=args.label_field,
        where=where,
        fmt=args.format,
        encoding=args.encoding,
    )
    if args.output:
        _write_rows(args.output, result.rows())
    else:
        print(result.format())
    for name in result.fields_missing(where):
        print(f"stancekit: note: no row has a field {name!r}; check the name (the output's fields)", file=sys.stderr)
    for problem in result.problems[:5]:
        _err(problem)
    if len(result.problems) > 5:
        _err(f"... and {len(result.problems) - 5} more unreadable rows")
    return EXIT_ROWS if result.problems else EXIT_OK


def _field_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"--by takes field names separated by commas (e.g. actor,dispute), got {text!r}"
        )
    return names


def _field_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"--where takes FIELD=VALUE (e.g. dispute=kosovo), got {text!r}")
    return name.strip(), value.strip()


def cmd_vectors_build(args: argparse.Namespace) -> int:
    from .io import read_rows
    from .preprocess import Preprocessor
    from .wordvectors import build_vectors, overlap_filter

    out_dir = Path(args.output).resolve().parent
    if not out_dir.is_dir():
        _err(f"cannot write {args.output}: the directory {out_dir} does not exist; create it or choose another -o")
        return EXIT_ERROR
    held_out: list[str] = []
    for path in args.exclude or []:
        for row in read_rows(path, text_field=args.text_field):
            if row.text is None and row.error not in ("empty text", "empty line"):  # blanks hold nothing
                # A held-out statement that cannot be read cannot be kept out of the vectors.
                _err(f"{row.source}:{row.line}: {row.error}; fix this --exclude row, or nothing keeps it out")
                return EXIT_ERROR
            if row.text:
                held_out.append(row.text)
    overlaps = overlap_filter(held_out) if held_out else None
    texts: list[str] = []
    excluded = failed = 0
    examples: list[str] = []
    for path in args.inputs:
        for row in read_rows(path, fmt=args.format, text_field=args.text_field, encoding=args.encoding):
            if row.text is None:
                failed += 1
                if len(examples) < 5:
                    examples.append(f"{row.source}:{row.line}: {row.error}")
            elif overlaps is not None and overlaps(row.text):
                excluded += 1
            else:
                texts.append(row.text)
    say = (lambda msg: None) if args.quiet else (lambda msg: print(f"stancekit: {msg}", file=sys.stderr))
    say(f"{len(texts):,} sentences to learn from; {excluded:,} left out for sharing a 6-gram with --exclude")
    pre = Preprocessor(cues=False)
    tokens: list[list[str]] = []
    for i in range(0, len(texts), 20_000):
        tokens += [a.tokens for a in pre.analyze(texts[i : i + 20_000])]
        say(f"{len(tokens):,} sentences preprocessed")
    vectors = build_vectors(tokens, dim=args.dim, min_count=args.min_count, progress=say)
    digest = vectors.save(args.output)
    print(
        f"stancekit: wrote {args.output}: {len(vectors):,} words x {vectors.dim} dimensions, sha256 {digest}; "
        f"learnt from {len(texts):,} sentences, {excluded:,} left out (--exclude), {failed:,} unreadable rows"
    )
    for ex in examples:
        print(f"  {ex}", file=sys.stderr)
    return EXIT_ROWS if failed else EXIT_OK


def cmd_models_list(args: argparse.Namespace) -> int:
    from .model import list_models

    for name, path in list_models().items():
        print(f"{name}\t{path}")
    return EXIT_OK


def cmd_disputes(args: argparse.Namespace) -> int:
    from .disputes import registry

    if not args.names:
        rows = registry()
        if args.json:
            _write_rows(None, rows)
            return EXIT_OK
        print("key\tstate\tentity\tclaimant\thistorical\tnames")
        for r in rows:
            names = "; ".join(n for n in r["names"] if n != r["entity"])
            print(
                f"{r['key']}\t{r['state']}\t{r['entity']}\t{r['claimant'] or '-'}\t{'yes' if r['historical'] else '-'}\t{names}"
            )
        return EXIT_OK
    from .preprocess import find_names

    looked_up = [(name, find_names(name)) for name in args.names]
    if args.json:
        _write_rows(None, ({"name": name, "found": found} for name, found in looked_up))
    else:
        for name, found in looked_up:
            if not found:
                print(f"{name}\tnot in the gazetteer (read as plain words)")
            for f in found:
                where = ", ".join(f["disputes"]) or "no registry dispute"
                print(f"{name}\t{f['text']}: {f['kind']}, state {f['state']}, {where}")
    return EXIT_ROWS if any(not found for _, found in looked_up) else EXIT_OK


# -- parser ---------------------------------------------------------------------
#: Readings a newer model has and ``stancekit train --no-<param>`` turns off (the parameter of
#: :class:`~stancekit.StanceClassifier` set to False), with the flag's help: the readings of
#: ``stancekit.preprocess.LATER_READINGS`` (not imported here, so the CLI starts faster; a test
#: keeps the two alike).
_READING_FLAGS = {
    "claimants": "read a state claiming the territory (Argentina on the Falklands) as any third state, not as CLAIMANT",
    "pseudo_negations": "let 'no doubt', 'not only', 'without delay' open a negation scope, as models before session 24 do",
    "parentheticals": "let a comma close a negation scope before a short insertion "
    "('does not, and will not, recognise'), as models before session 26 do",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stancekit",
        description="Tag official statements with their stance toward a state's sovereignty and territorial integrity.",
        epilog="Exit codes: 0 ok; 1 some rows could not be classified or problems were found; "
        "2 usage error or whole-run problem; 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"stancekit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("classify", help="classify statement files (.txt, .csv, .tsv, .jsonl, .gz, or - for stdin)")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="output file (.jsonl, .csv, .tsv, optionally .gz); default stdout"
    )
    _model_option(p)
    p.add_argument("--text-field", metavar="NAME", help="field/column holding the statement (default: text)")
    _actor_options(p)
    p.add_argument("--format", choices=["txt", "csv", "tsv", "jsonl"], help="input format (default: from suffix)")
    p.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    p.add_argument("--min-confidence", type=_probability, metavar="P", help="flag results below P as uncertain")
    p.add_argument("--max-chars", type=int, default=100_000, metavar="N", help="longer statements become error rows")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary line on stderr")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the partial output (.OUT.part) if interrupted, and continue it if one is there",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster (tcp://HOST:8786; needs stancekit[dask])"
    )
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("train", help="train a model on annotated corpora")
    p.add_argument("corpora", nargs="+", metavar="CORPUS", help="JSONL/CSV corpus files or directories")
    p.add_argument("-o", "--output", metavar="MODEL", help="where to save the model (.skmodel)")
    p.add_argument("--name", metavar="NAME", help="save as a named model in the models directory (--model NAME)")
    p.add_argument("--force", action="store_true", help="with --name default: replace the shipped model")
    p.add_argument("--labels", type=_labels_arg, help="comma-separated label scheme (default: from the corpora)")
    p.add_argument("--eval", nargs="+", metavar="DATA", help="held-out labelled data to score into the model card")
    p.add_argument(
        "--allow-overlap", action="store_true", help="score --eval data that overlaps the corpora, with a warning"
    )
    p.add_argument("--cv", type=int, default=5, help="cross-validation folds for the model card (0: skip)")
    p.add_argument("--C", type=float, help="inverse regularisation strength (default: the classifier's)")
    p.add_argument(
        "--loss",
        choices=("logistic", "svm", "mlp", "logistic+mlp"),  # classifier._LOSSES; not imported (starts faster)
        help="classifier: logistic regression (default), calibrated linear SVM, a one-layer network, "
        "or the mean of the scores of logistic regression and the network",
    )
    for param, help_text in _READING_FLAGS.items():
        p.add_argument(f"--no-{param.replace('_', '-')}", action="store_true", help=help_text)
    p.add_argument("--search", action="store_true", help="tune C, ngram_range, min_df by grid search on the CV folds")
    p.add_argument("--grid", type=_grid_arg, metavar="JSON", help="search this grid, e.g. '{\"C\": [1, 10]}'")
    p.add_argument(
        "--near-duplicates",
        type=_probability,
        default=0.5,
        metavar="SHARE",
        help="statements sharing more than SHARE of their 5-grams are near-duplicates (default 0.5; 0: off)",
    )
    p.add_argument(
        "--background",
        nargs="+",
        metavar="ARCHIVE",
        help="unlabelled real sentences (txt/JSONL/CSV, .gz ok): plain ones join training as 'none'",
    )
    p.add_argument("--background-n", type=int, default=2000, metavar="N", help="background sentences (default 2000)")
    p.add_argument("--background-label", default="none", metavar="LABEL", help="label of the background (default none)")
    p.add_argument(
        "--background-pool",
        type=int,
        default=10,
        metavar="K",
        help="one archive row in K is eligible, the rest kept unseen (default 10; 1: all rows)",
    )
    p.add_argument(
        "--background-weight",
        type=float,
        default=1.0,
        metavar="W",
        help="sample weight of each background sentence (corpus statements: 1; default 1)",
    )
    p.add_argument(
        "--background-encoding", default="utf-8", metavar="ENC", help="encoding of the archive (default utf-8)"
    )
    p.add_argument(
        "--labelled-lines",
        metavar="FILE",
        help="real sentences labelled by reference: a JSON file of lines of the --background archive with "
        "labels and SHA-1 prefixes (see stancekit.archive_labels); they join training",
    )
    p.add_argument(
        "--labelled-lines-weight",
        type=float,
        default=1.0,
        metavar="W",
        help="sample weight of each labelled line (corpus statements: 1; default 1)",
    )
    p.add_argument(
        "--frames",
        type=float,
        metavar="W",
        help="also train on each statement wrapped in a quote or report frame, at weight W (e.g. 0.5)",
    )
    p.add_argument(
        "--actor-field",
        metavar="NAME",
        help="train on the statements read with their speaker from field NAME (e.g. actor), as classify "
        "reads them; default: the text alone",
    )
    p.add_argument(
        "--frames-except",
        action="append",
        default=[],
        metavar="FORM",
        help="no framed copy for statements whose form is FORM (repeatable; e.g. speech)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed: same inputs and seed, same model")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="macro-F1, per-class figures and confusion matrix on labelled data")
    p.add_argument("data", nargs="+", metavar="DATA")
    _model_option(p)
    p.add_argument("--by", metavar="FIELD", help="also report figures per value of FIELD (e.g. form, dispute)")
    _actor_options(p)
    p.add_argument("--json", action="store_true", help="machine-readable output (key macro_f1)")
    p.add_argument(
        "--plot", metavar="FILE", help="also draw the confusion matrix and a reliability diagram to FILE (.png, .svg)"
    )
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("explain", help="the words and phrases that pushed a statement to its label")
    p.add_argument("text", nargs="+", metavar="TEXT")
    _model_option(p)
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--actor", metavar="NAME", help="who speaks (a government, body or code such as SRB)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("corpus", help="corpus tools")
    csub = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND", required=True)
    c = csub.add_parser("validate", help="check corpus files; every problem names file and line")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--labels", type=_labels_arg, help="label scheme (default: favor,against,neutral,none)")
    c.add_argument("--any-labels", action="store_true", help="accept any label")
    c.add_argument("--schema", choices=["minimal", "full"], default="minimal", help="required fields")
    c.add_argument(
        "--near-duplicates",
        type=_probability,
        default=0.5,
        metavar="SHARE",
        help="report near-duplicates (sharing more than SHARE of their 5-grams) with different labels, "
        "as train would refuse them (default 0.5; 0: off)",
    )
    c.set_defaults(func=cmd_corpus_validate)
    c = csub.add_parser("stats", help="counts by label, dispute, form and source")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--json", action="store_true")
    c.add_argument("--markdown", action="store_true", help="Markdown tables (as in corpus/README.md)")
    c.set_defaults(func=cmd_corpus_stats)

    p = sub.add_parser("info", help="version and model card")
    _model_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("vectors", help="word vectors learnt from unlabelled sentences")
    vsub = p.add_subparsers(dest="vectors_command", required=True)
    v = vsub.add_parser("build", help="learn word vectors (PPMI + SVD) from sentence files")
    v.add_argument("inputs", nargs="+", metavar="INPUT", help="sentence files (.txt, .csv, .tsv, .jsonl, .gz)")
    v.add_argument("-o", "--output", required=True, help="the .npz file to write")
    v.add_argument(
        "--exclude",
        action="append",
        metavar="FILE",
        help="leave out sentences sharing a word 6-gram with the texts of FILE (e.g. an evaluation set); repeatable",
    )
    v.add_argument("--dim", type=int, default=200)
    v.add_argument("--min-count", type=int, default=10)
    v.add_argument("--format", choices=["txt", "csv", "tsv", "jsonl"])
    v.add_argument("--text-field")
    v.add_argument("--encoding", default="utf-8")
    v.add_argument("--quiet", action="store_true")
    v.set_defaults(func=cmd_vectors_build)

    p = sub.add_parser("models", help="named models")
    msub = p.add_subparsers(dest="models_command", metavar="SUBCOMMAND", required=True)
    m = msub.add_parser("list", help="list the named models")
    m.set_defaults(func=cmd_models_list)

    p = sub.add_parser(
        "disputes",
        help="the dispute registry (the values of `dispute`), or what the gazetteer makes of names",
        description="Without NAME: one row per registry dispute (key, state concerned, entity, claimant, "
        "historical, the names it is known by). With NAMEs: what the gazetteer finds in each; exit 1 if "
        "some name is not in it.",
    )
    p.add_argument("names", nargs="*", metavar="NAME", help='a name or phrase, e.g. "Pristina" "the Malvinas"')
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_disputes)

    p = sub.add_parser("compare", help="two models side by side on labelled data, and the predictions that changed")
    p.add_argument("model_a", metavar="MODEL_A", help="reference model (path or name, e.g. default)")
    p.add_argument("model_b", metavar="MODEL_B", help="model to compare with it")
    p.add_argument("data", nargs="+", metavar="DATA", help="held-out labelled data (neither model trained on it)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-o", "--output", metavar="OUT", help="write the changed statements here (.jsonl, .csv)")
    p.add_argument("--show", type=int, default=10, metavar="N", help="changed statements to print (default 10)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("tally", help="count classified statements by actor (or any field): who takes which stance")
    p.add_argument(
        "results", nargs="+", metavar="RESULTS", help="output of `stancekit classify` (.jsonl, .csv, .tsv, .gz)"
    )
    p.add_argument(
        "--by", type=_field_list, default=["actor"], metavar="FIELD[,FIELD]", help="fields to group by (default: actor)"
    )
    p.add_argument(
        "--where",
        action="append",
        type=_field_value,
        metavar="FIELD=VALUE",
        help="count only rows with this value (e.g. dispute=kosovo); repeat: any value of a field, every field",
    )
    p.add_argument("--min-confidence", type=_probability, metavar="P", help="count predictions below P as uncertain")
    p.add_argument("--label-field", default="label", metavar="NAME", help="field/column holding the label")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl"], help="input format (default: from suffix)")
    p.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="write the table as .jsonl, .csv or .tsv instead of printing it"
    )
    p.set_defaults(func=cmd_tally)

    p = sub.add_parser("suggest", help="the unlabelled statements most worth annotating next (active learning)")
    p.add_argument("--pool", required=True, metavar="FILE", help="unlabelled statements (.txt, .csv, .tsv, .jsonl)")
    p.add_argument("-n", type=int, default=20, metavar="N", help="how many to suggest (default 20)")
    _model_option(p)
    p.add_argument("-o", "--output", metavar="OUT", help="file to write: .jsonl (or .csv, .tsv); default stdout")
    p.add_argument("--strategy", choices=["margin", "entropy"], default="margin", help="uncertainty measure")
    p.add_argument("--pool-factor", type=int, default=5, metavar="K", help="pick among the K*N most uncertain")
    p.add_argument(
        "--max-similarity",
        type=_probability,
        default=0.5,
        metavar="S",
        help="skip statements with TF-IDF cosine above S to one already picked (default 0.5; 1: off)",
    )
    p.add_argument("--exclude", nargs="+", metavar="CORPUS", help="annotated corpora: do not suggest what they hold")
    p.add_argument("--text-field", metavar="NAME", help="field/column holding the statement (default: text)")
    p.add_argument("--format", choices=["txt", "csv", "tsv", "jsonl"], help="pool format (default: from suffix)")
    p.set_defaults(func=cmd_suggest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except StancekitError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        _err(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
