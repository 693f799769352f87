"""`newsarchive demo-site`: serve the bundled Qala News demo site, or write its manifest.

Serving prints the base URL as the first line of stdout (so other processes can read it),
then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "demo-site",
        help="serve the bundled deterministic demo news site (Qala News)",
        description="Serve the Qala News demo site on 127.0.0.1, or write its ground truth.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to bind (default 0: ephemeral)")
    p.add_argument("--latency", type=int, default=0, metavar="MS", help="delay per response")
    p.add_argument("--size", type=int, default=120, metavar="N", help="number of en articles")
    p.add_argument("--faults", action="store_true", help="add the broken responses (fault mode)")
    p.add_argument(
        "--robots-500-once",
        action="store_true",
        help="answer the first /robots.txt with 500 (RFC 9309: disallow all until retried)",
    )
    p.add_argument(
        "--stall-seconds",
        type=float,
        default=30.0,
        metavar="S",
        help="how long fault mode's stalled responses hang (default 30)",
    )
    p.add_argument(
        "--manifest",
        type=Path,
        metavar="PATH",
        help="write the ground-truth manifest (JSON lines) to PATH and exit",
    )
    p.add_argument("--access-log", type=Path, metavar="PATH", help="append one line per request")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from newsarchive.demosite import DemoOptions, DemoServer, write_manifest

    try:
        options = DemoOptions(
            latency_ms=args.latency,
            size=args.size,
            faults=args.faults,
            robots_500_once=args.robots_500_once,
            stall_seconds=args.stall_seconds,
        )
    except ValueError as error:
        print(f"newsarchive demo-site: {error}", file=sys.stderr)
        return 2
    if args.manifest is not None:
        try:
            count = write_manifest(args.manifest, options)
        except OSError as error:
            print(f"newsarchive demo-site: cannot write {args.manifest}: {error}", file=sys.stderr)
            return 1
        print(f"wrote {count} manifest lines to {args.manifest}", file=sys.stderr)
        return 0

    server = DemoServer(options, host=args.host, port=args.port, access_log_path=args.access_log)
    try:
        base_url = server.start()
    except OSError as error:
        print(
            f"newsarchive demo-site: cannot bind {args.host}:{args.port}: {error}", file=sys.stderr
        )
        return 1
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    print(base_url, flush=True)
    print(
        f"Qala News demo site at {base_url}/ (size={options.size}, faults={options.faults}, "
        f"robots_500_once={options.robots_500_once}); Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":  # pragma: no cover - `python -m newsarchive.cli.demo_site`
    _parser = argparse.ArgumentParser(prog="newsarchive")
    add_parser(_parser.add_subparsers(dest="command", required=True))
    _args = _parser.parse_args(["demo-site", *sys.argv[1:]])
    sys.exit(_args.func(_args))
