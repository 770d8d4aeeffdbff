"""The ``stancekit`` command line: a thin layer over the library.

Exit codes: 0 success; 1 the run finished but some rows could not be classified (or a
corpus has problems, or a quality floor was missed); 2 a usage error or a problem with
the whole run (missing file or column, bad model file); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
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


def _model_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="PATH", help="model file or name (default: the shipped model)")


# -- commands -----------------------------------------------------------------
def cmd_classify(args: argparse.Namespace) -> int:
    from .batch import Summary, classify_rows
    from .io import check_input, open_writer, read_rows
    from .model import load

    for path in args.inputs:  # whole-run problems first, before any output is written
        check_input(path, args.format)
    model = load(args.model)
    writer = open_writer(args.output)
    summary = Summary()

    def rows() -> Any:
        for path in args.inputs:
            yield from read_rows(
                path, fmt=args.format, text_field=args.text_field, encoding=args.encoding, max_chars=args.max_chars
            )

    try:
        for out in classify_rows(rows(), model, min_confidence=args.min_confidence, summary=summary):
            writer.write(out)
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    if not args.quiet:
        print(f"stancekit: {summary.line()}", file=sys.stderr)
    if summary.errors:
        print(f"stancekit: {summary.errors} row(s) could not be classified (label null, see 'error'):", file=sys.stderr)
        for ex in summary.examples:
            print(f"  {ex}", file=sys.stderr)
        return EXIT_ROWS
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from .train import train

    params: dict[str, Any] = {"C": args.C, "random_state": args.seed}
    model = train(args.corpora, labels=args.labels, cv=args.cv, eval_data=args.eval, **params)
    path = model.save(args.output)
    card = model.card
    print(f"trained on {card['corpus']['n']} statements {card['corpus']['by_label']}; saved {path}")
    if "cv" in card:
        print(f"cross-validation ({card['cv']['scheme']}): macro-F1 {card['cv']['macro_f1']:.3f}")
    if "eval" in card:
        print(f"evaluation on {', '.join(card['eval']['paths'])}: macro-F1 {card['eval']['macro_f1']:.3f}")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .model import load
    from .train import evaluate

    model = load(args.model)
    report = evaluate(model, args.data, parts=args.by)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.format())
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from .model import load

    model = load(args.model)
    text = " ".join(args.text)
    if not text.strip():
        _err("give a non-empty statement to explain")
        return EXIT_ERROR
    exp = model.explain(text, top=args.top)
    if args.json:
        print(json.dumps(exp, indent=2, ensure_ascii=False))
        return EXIT_OK
    scores = "  ".join(f"{k} {v:.2f}" for k, v in sorted(exp["scores"].items(), key=lambda kv: -kv[1]))
    print(f"label: {exp['label']}   ({scores})")
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
    problems = validate(args.paths, required=required, labels=labels)
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
    from .model import read_header, resolve_model

    path = resolve_model(args.model)
    header, _ = read_header(path)
    if args.json:
        print(json.dumps(header, indent=2))
        return EXIT_OK
    card = header.get("card", {})
    print(f"stancekit {__version__}")
    print(f"model: {path}")
    print(f"labels: {', '.join(card.get('labels', []))}")
    corpus = card.get("corpus", {})
    if corpus:
        print(f"corpus: {corpus.get('n')} statements {corpus.get('by_label')} digest {str(corpus.get('digest'))[:12]}")
    if "cv" in card:
        print(f"cross-validated macro-F1: {card['cv']['macro_f1']:.3f} ({card['cv']['scheme']})")
    if "eval" in card:
        parts = card["eval"].get("parts", {})
        extra = "".join(f", {k} {v['macro_f1']:.3f}" for k, v in parts.items())
        print(f"evaluation macro-F1: {card['eval']['macro_f1']:.3f}{extra} on {', '.join(card['eval']['paths'])}")
    print(f"saved with: {card.get('versions', {})}")
    print(f"sha256: {header.get('payload_sha256')}")
    return EXIT_OK


def cmd_models_list(args: argparse.Namespace) -> int:
    from .model import list_models

    for name, path in list_models().items():
        print(f"{name}\t{path}")
    return EXIT_OK


# -- parser ---------------------------------------------------------------------
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
    p.add_argument("--format", choices=["txt", "csv", "tsv", "jsonl"], help="input format (default: from suffix)")
    p.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    p.add_argument("--min-confidence", type=_probability, metavar="P", help="flag results below P as uncertain")
    p.add_argument("--max-chars", type=int, default=100_000, metavar="N", help="longer statements become error rows")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("train", help="train a model on annotated corpora")
    p.add_argument("corpora", nargs="+", metavar="CORPUS", help="JSONL/CSV corpus files or directories")
    p.add_argument("-o", "--output", required=True, metavar="MODEL", help="where to save the model (.skmodel)")
    p.add_argument("--labels", type=_labels_arg, help="comma-separated label scheme (default: from the corpora)")
    p.add_argument("--eval", nargs="+", metavar="DATA", help="held-out labelled data to score into the model card")
    p.add_argument("--cv", type=int, default=5, help="cross-validation folds for the model card (0: skip)")
    p.add_argument("--C", type=float, default=10.0, help="inverse regularisation strength")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="macro-F1, per-class figures and confusion matrix on labelled data")
    p.add_argument("data", nargs="+", metavar="DATA")
    _model_option(p)
    p.add_argument("--by", metavar="FIELD", help="also report figures per value of FIELD (e.g. form, dispute)")
    p.add_argument("--json", action="store_true", help="machine-readable output (key macro_f1)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("explain", help="the words and phrases that pushed a statement to its label")
    p.add_argument("text", nargs="+", metavar="TEXT")
    _model_option(p)
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("corpus", help="corpus tools")
    csub = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND", required=True)
    c = csub.add_parser("validate", help="check corpus files; every problem names file and line")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--labels", type=_labels_arg, help="label scheme (default: favor,against,neutral,none)")
    c.add_argument("--any-labels", action="store_true", help="accept any label")
    c.add_argument("--schema", choices=["minimal", "full"], default="minimal", help="required fields")
    c.set_defaults(func=cmd_corpus_validate)
    c = csub.add_parser("stats", help="counts by label, dispute, form and source")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_corpus_stats)

    p = sub.add_parser("info", help="version and model card")
    _model_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("models", help="named models")
    msub = p.add_subparsers(dest="models_command", metavar="SUBCOMMAND", required=True)
    m = msub.add_parser("list", help="list the named models")
    m.set_defaults(func=cmd_models_list)
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
