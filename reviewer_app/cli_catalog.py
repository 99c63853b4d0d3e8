"""The command line of the clone search: `clones` and `catalog add|import|stats` (CLI.md's names).

Kept apart from cli.py, which parses everything else; `cli.build_parser` adds these parsers."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reviewer_app.cli_work import _emit


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "clones",
        parents=[common],
        help="the catalog apps most similar to APK files (suspected counterfeits)",
        description="Compare APK files with every app of the catalog (name, icon, package, certificate, "
        "code, resources) and give the most similar ones with every signal, and a verdict.",
    )
    p.add_argument("apks", nargs="+", metavar="APK")
    p.add_argument("--top", type=int, default=5, metavar="K", help="how many candidates (default 5)")
    p.add_argument("--developer", default="", metavar="NAME", help="who submits it (same developer: a family)")
    p.add_argument("--json", action="store_true", help="one JSON object per line, one per file, in input order")

    p = sub.add_parser("catalog", parents=[common], help="the catalog of live apps the clone search compares with")
    catalog_sub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    q = catalog_sub.add_parser("add", parents=[common], help="add apps from APK files")
    q.add_argument("apks", nargs="+", metavar="APK")
    q.add_argument("--developer", required=True, metavar="NAME")
    q.add_argument("--json", action="store_true")
    q = catalog_sub.add_parser("import", parents=[common], help="add apps from a JSONL file (one app per line)")
    q.add_argument("file", metavar="FILE.jsonl")
    q.add_argument("--json", action="store_true")
    q = catalog_sub.add_parser("stats", parents=[common], help="how many apps the catalog holds")
    q.add_argument("--json", action="store_true")

    p = sub.add_parser("brands", parents=[common], help="the brand registry: names only their owner may use (leads)")
    brand_sub = p.add_subparsers(dest="brands_command", metavar="ACTION", required=True)
    q = brand_sub.add_parser("list", parents=[common], help="every protected name")
    q.add_argument("--json", action="store_true")
    q = brand_sub.add_parser("add", parents=[common], help="protect a name for its owner")
    q.add_argument("name")
    q.add_argument("--developer", required=True, metavar="OWNER")
    q.add_argument("--package", metavar="PACKAGE", help="the owner's app of that name, when it has one")
    q = brand_sub.add_parser("remove", parents=[common], help="no longer protect a name")
    q.add_argument("name")


def cmd_clones(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.apk.pool import FactsPool
    from reviewer_app.review.clones import CloneSearch, CloneThresholds, package_prints

    search = CloneSearch(service.store, CloneThresholds.from_settings(service.settings))
    search.refresh()
    status = 0
    settings = service.settings
    with FactsPool(workers=settings.parse_workers, limits=settings.limits) as pool:
        for path, facts in zip(args.apks, pool.inspect(args.apks), strict=True):
            if not facts.ok:
                status = 1
                record = {"file": path, "ok": False, "error": facts.error or "unreadable", "verdict": None,
                          "candidates": []}  # fmt: skip
            else:
                prints = package_prints(facts.to_json(), args.developer, path, facts.icon_png, settings.limits)
                result = search.search(prints, service.clock(), top_k=max(1, args.top))
                record = {"file": path, "ok": True, "error": None, "verdict": result.verdict,
                          "candidates": [c.to_json() for c in result.candidates]}  # fmt: skip
            if args.json:
                _emit(record)
            elif record["ok"]:
                print(f"{path}: {record['verdict']} (compared with {search.size} catalog apps)")
                for c in record["candidates"]:
                    s = c["signals"]
                    print(f"  {c['score']:.2f}  {c['label']} ({c['package']}) by {c['developer']}: name {s['name']:.2f}, "
                          f"icon {s['icon']:.2f}, package {s['package']:.2f}, certificate {s['certificate']}")  # fmt: skip
            else:
                print(f"{path}: {record['error']}", file=sys.stderr)
    return status


def cmd_catalog(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.review.catalog import add_apks, import_jsonl

    if args.catalog_command == "stats":
        stats = service.store.catalog_stats()
        if args.json:
            _emit(stats)
        else:
            print(f"{stats['apps']} apps by {stats['developers']} developers ({stats['with_icon']} with an icon, "
                  f"{stats['with_code']} with a code fingerprint)")  # fmt: skip
        return 0
    if args.catalog_command == "add":
        status = 0
        for path, ok, error, added in add_apks(service, list(args.apks), args.developer):
            status = status or (0 if ok else 1)
            if args.json:
                _emit({"file": path, "ok": ok, "error": error, "added": added or 0})
            elif ok:
                print(f"{path}: added to the catalog")
            else:
                print(f"{path}: {error}", file=sys.stderr)
        return status
    try:
        outcome = import_jsonl(service, args.file)
    except OSError as exc:
        print(f"reviewer-app: error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for problem in outcome.problems:
        if args.json:
            _emit({"line": problem.line, "ok": False, "error": problem.error})
        else:
            print(f"{args.file}:{problem.line}: {problem.error}", file=sys.stderr)
    if args.json:
        _emit({"summary": {"lines": outcome.lines, "added": outcome.added, "errors": len(outcome.problems)}})
    else:
        print(f"{outcome.added} apps added, {len(outcome.problems)} lines refused of {outcome.lines}")
    return 1 if outcome.problems else 0


def cmd_brands(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.domain import iso_utc

    if args.brands_command == "list":
        for entry in service.protected_names():
            if args.json:
                _emit({"name": entry.name, "developer": entry.developer, "package": entry.package,
                       "added_by": entry.added_by, "added_at": iso_utc(entry.added_at)})  # fmt: skip
            else:
                print(f"{entry.name}  {entry.developer}  {entry.package or ''}")
        return 0
    if args.brands_command == "add":
        added = service.protect_name(args.name, args.developer, args.package)
        print("protected" if added else "already protected")
        return 0
    removed = service.unprotect_name(args.name)
    print("removed" if removed else "not protected")
    return 0 if removed else 1
