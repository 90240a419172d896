"""`neuronaut serve-model`: one bundled model behind an OpenAI-compatible HTTP endpoint.

It runs llama-cpp-python's own server (``llama_cpp.server``) on a preset, so a
pool of such processes (or llama.cpp's ``llama-server``) can sit behind the
LiteLLM router or Paddler. One process holds one llama context and answers one
request at a time; ``interrupt_requests`` is off so a new request waits for the
running one instead of cutting it short (the server's default would end a
streamed answer early whenever another request arrives).

Grammar-constrained decisions arrive as a ``grammar`` field in the request
body (see ``openai_compat``): the server's own ``response_format`` schema path
uses the converter that mangles emoji.
"""

from __future__ import annotations

import argparse
import logging
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from neuronaut.errors import NeuronautError, UserError
from neuronaut.llm.presets import resolve_model
from neuronaut.settings import Settings

log = logging.getLogger(__name__)

# llama_cpp.server and uvicorn are imported where a server is started: the CLI imports this module to build its
# parser, and the server extra is optional.

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


@dataclass(frozen=True)
class ServeConfig:
    """What one model server needs; the CLI fills it from flags and Settings."""

    model_path: Path
    alias: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    n_ctx: int = 4096
    n_batch: int = 512
    n_threads: int = 2
    seed: int = 7
    verbose: bool = False


def llama_settings(config: ServeConfig) -> tuple[Any, Any]:
    """The server and model settings of ``llama_cpp.server`` for one model."""
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    server = ServerSettings(host=config.host, port=config.port, interrupt_requests=False)
    model = ModelSettings(
        model=str(config.model_path),
        model_alias=config.alias,
        n_ctx=config.n_ctx,
        n_batch=config.n_batch,
        n_threads=config.n_threads,
        n_threads_batch=config.n_threads,
        seed=config.seed,
        logits_all=False,  # the server's default keeps logits for every prompt token: memory and time for nothing
        verbose=config.verbose,
    )
    return server, model


def create_app(config: ServeConfig) -> Any:
    """The FastAPI app, with the model loaded (this takes a moment)."""
    try:
        from llama_cpp.server.app import create_app as llama_create_app
    except ImportError as exc:
        raise UserError(
            f"the model server needs llama-cpp-python's server extra ({exc.name} is missing); "
            "install it with: pip install 'llama-cpp-python[server]==0.3.36'"
        ) from None
    server, model = llama_settings(config)
    return llama_create_app(server_settings=server, model_settings=[model])


def serve(config: ServeConfig) -> None:
    """Load the model and answer requests until interrupted."""
    import uvicorn

    app = create_app(config)
    log.info("serving %s on http://%s:%d/v1", config.alias, config.host, config.port)
    # The access log is the per-backend request record an operator (and the pool test) reads.
    uvicorn.run(app, host=config.host, port=config.port, log_level="info", access_log=True)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The flags of `serve-model`; the CLI adds them to its subcommand."""
    parser.add_argument("--model", help="a preset name or a GGUF path (default: the configured model)")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"listen address (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"listen port (default {DEFAULT_PORT})")
    parser.add_argument("--n-ctx", type=int, help="context size (default: the configured n_ctx)")
    parser.add_argument("--threads", type=int, help="CPU threads (default: the configured n_threads)")
    parser.add_argument("--verbose", action="store_true", help="print llama.cpp's own log")
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="neuronaut serve-model", description="Serve a model on an OpenAI-compatible endpoint."
    )
    return add_arguments(parser).parse_args(argv)


def config_from(args: argparse.Namespace, settings: Any) -> ServeConfig:
    """Flags win over Settings; the model is resolved (and assembled if needed) here."""
    name = args.model or settings.model
    return ServeConfig(
        model_path=resolve_model(name, settings.models_dir),
        alias=Path(name).stem if name.lower().endswith(".gguf") else name,
        host=args.host,
        port=args.port,
        n_ctx=args.n_ctx or settings.n_ctx,
        n_batch=settings.n_batch,
        n_threads=args.threads or settings.n_threads,
        seed=settings.seed,
        verbose=args.verbose,
    )


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nothing listens on right now (another process could still take it before we do)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class ServerProcess:
    """One ``serve-model`` child process on this machine: for local pools, benchmarks and tests."""

    def __init__(self, model: str, port: int, log_path: Path, *, n_ctx: int = 2048, threads: int = 1,
                 host: str = DEFAULT_HOST, env: dict[str, str] | None = None) -> None:
        self.model, self.port, self.log_path, self.host = model, port, log_path, host
        self.args = ["--model", model, "--host", host, "--port", str(port), "--n-ctx", str(n_ctx),
                     "--threads", str(threads)]
        self.env = env  # None: the child inherits this process's environment
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self, ready_within_s: float = 120.0) -> ServerProcess:
        """Spawn the server and wait until it answers; the log file is appended to across restarts."""
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen([sys.executable, "-m", "neuronaut.llm.server", *self.args],
                                            stdout=log_file, stderr=subprocess.STDOUT, env=self.env)
        self.wait_ready(ready_within_s)
        return self

    def wait_ready(self, within_s: float) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise UserError(f"the model server on port {self.port} exited; its log: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/models", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass  # still loading the model
            time.sleep(0.2)
        self.stop()
        raise UserError(f"the model server on port {self.port} did not answer within {within_s:.0f} s")

    def kill(self) -> None:
        """SIGKILL: the way a crashed or OOM-killed backend disappears."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def chat_requests_served(self) -> int:
        """Chat completions this server answered, counted from its access log."""
        if not self.log_path.is_file():
            return 0
        return self.log_path.read_text(errors="replace").count('"POST /v1/chat/completions HTTP/1.1" 200')

    def log_tail(self, lines: int = 5) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.is_file() else ""
        return " | ".join(text.strip().splitlines()[-lines:]) or "(empty)"


def run(args: argparse.Namespace, settings: Any) -> int:
    """Serve until interrupted. A ``UserError`` (unknown preset, missing server extra) propagates:
    the CLI prints it as one line, as it does for every command."""
    settings.apply_process_environment()
    try:
        serve(config_from(args, settings))
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None, settings: Any = None) -> int:
    """Entry point of `neuronaut serve-model` (and of ``python -m neuronaut.llm.server``)."""
    args = parse_args(argv)
    return run(args, settings or Settings.load())


def _standalone() -> int:
    # `python -m neuronaut.llm.server` (tests, process managers): the same one-line errors as the CLI.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return main()
    except NeuronautError as exc:
        log.error("%s", exc)
        return 2


if __name__ == "__main__":
    raise SystemExit(_standalone())
