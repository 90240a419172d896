"""``python -m neuronaut.servers.files ROOT [ROOT...]``: the filesystem server over stdio."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from neuronaut.servers.files.sandbox import DEFAULT_MAX_FILE_BYTES
from neuronaut.servers.files.server import build_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m neuronaut.servers.files", description=__doc__)
    parser.add_argument("roots", nargs="+", type=Path, help="directories the server may access")
    parser.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_FILE_BYTES, help="read/write cap per file")
    args = parser.parse_args(argv)
    # stdout carries the protocol, so logs go to stderr.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    try:
        server = build_server(args.roots, max_file_bytes=args.max_file_bytes)
    except ValueError as exc:
        parser.error(str(exc))
    server.run("stdio")


if __name__ == "__main__":
    main()
