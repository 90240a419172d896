"""``python -m neuronaut.servers.code WORKSPACE``: the code-execution server over stdio."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from neuronaut.servers.code.server import build_server
from neuronaut.servers.code.workspace import DEFAULT_BUILD_TIMEOUT_S


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m neuronaut.servers.code", description=__doc__)
    parser.add_argument("workspace", type=Path, help="the directory every tool works in (created if missing)")
    parser.add_argument(
        "--build-timeout", type=float, default=DEFAULT_BUILD_TIMEOUT_S, help="seconds for one swift build/test"
    )
    args = parser.parse_args(argv)
    # stdout carries the protocol, so logs go to stderr.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    build_server(args.workspace, build_timeout_s=args.build_timeout).run("stdio")


if __name__ == "__main__":
    main()
