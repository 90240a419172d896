"""A shared Chroma server (``chroma run``): several agents, one skill index and one episodic memory.

With ``chroma_url`` set, episode memory and the skill index talk to that server
instead of an embedded Chroma directory. Two things differ from embedded mode:

* The index manifest (which embedding model built which collections) lives in
  the server, as the metadata of a small collection per component, so every
  agent using the server sees the same one.
* The server can go away. Unreachable at start is a ``UserError`` that says how
  to start it; a failure mid-run raises ``SharedMemoryUnavailable``, which the
  run turns into a clean, resumable stop (it is a ``ToolServerError``: an
  outside service the run depends on has failed).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import chromadb
import httpx
from chromadb.api import ClientAPI

from neuronaut.errors import ToolServerError, UserError
from neuronaut.memory.chroma_base import chroma_settings, raw_collection
from neuronaut.memory.manifest import IndexManifest

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 60.0  # chromadb's HTTP client waits forever by default; a hung server must not hang a run
DEFAULT_PORT = 8000
MANIFEST_PREFIX = "neuronaut-manifest-"
_T = TypeVar("_T")


class SharedMemoryUnavailable(ToolServerError):
    """The shared Chroma server stopped answering during a run."""


def parse_url(url: str) -> tuple[str, int, bool]:
    """``http://host:port`` → (host, port, ssl); a bare ``host:port`` means http."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"http://{text}")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1 or parts.path not in ("", "/"):
        raise UserError(f"chroma_url {url!r} is not a Chroma server address: use e.g. http://127.0.0.1:8000 "
                        "(NEURONAUT_CHROMA_URL), or leave it empty for the embedded memory")
    ssl = parts.scheme == "https"
    return parts.hostname, port or (443 if ssl else DEFAULT_PORT), ssl


def start_hint(url: str) -> str:
    host, port, _ = parse_url(url)
    return f"`chroma run --path checkpoints/shared-memory --host {host} --port {port}`"


def connect(url: str) -> ClientAPI:
    """A client of the server at ``url``, checked with a heartbeat; a clear ``UserError`` when unreachable."""
    host, port, ssl = parse_url(url)
    try:
        client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings())
        client.heartbeat()
    except Exception as exc:  # noqa: BLE001 - chromadb raises ValueError, httpx errors or its own, all mean "not there"
        raise UserError(f"cannot reach the shared memory at {url} ({_reason(exc)}); start it with "
                        f"{start_hint(url)}, or unset NEURONAUT_CHROMA_URL to use the embedded memory") from None
    _set_timeout(client)
    log.info("using the shared memory at %s", url)
    return client


def _set_timeout(client: ClientAPI) -> None:
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(REQUEST_TIMEOUT_S, connect=10.0)
    else:  # a chromadb release that moved its session: runs still work, only without a timeout
        log.warning("cannot set a request timeout on chromadb's HTTP client; a hung server will block the run")


@contextmanager
def translate_failures(url: str) -> Iterator[None]:
    """Turn a transport failure talking to ``url`` into ``SharedMemoryUnavailable``."""
    try:
        yield
    except httpx.TransportError as exc:
        raise SharedMemoryUnavailable(
            f"the shared memory at {url} stopped answering ({_reason(exc)}); start it again with {start_hint(url)}"
        ) from exc
    except chromadb.errors.NotFoundError as exc:
        # Only a reset, or an agent with another embedding_model re-indexing, drops a collection in use.
        raise SharedMemoryUnavailable(
            f"a collection in the shared memory at {url} was dropped ({_reason(exc)}): every agent sharing it "
            "must use the same embedding_model"
        ) from exc
    except chromadb.errors.InternalError as exc:
        # Reached only when retrying did not help (index.similarity_search): the server itself is failing.
        raise SharedMemoryUnavailable(
            f"the shared memory at {url} failed a request ({_reason(exc)}); see its log, or restart it with "
            f"{start_hint(url)}"
        ) from exc


def guarded(method: Callable[..., _T]) -> Callable[..., _T]:
    """Decorate a method of an object with a ``chroma_url`` attribute: failures of that server stop the run cleanly."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> _T:
        url = getattr(self, "chroma_url", "")
        if not url:
            return method(self, *args, **kwargs)
        with translate_failures(url):
            return method(self, *args, **kwargs)

    return wrapper


def _reason(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class ServerManifest:
    """An ``IndexManifest`` kept as the metadata of a collection in the server, shared by every agent."""

    def __init__(self, client: ClientAPI, component: str) -> None:
        self._client = client
        self.name = MANIFEST_PREFIX + component

    def read(self) -> IndexManifest | None:
        collection = raw_collection(self._client, self.name)
        meta = dict(collection.metadata or {}) if collection is not None else {}
        if "model_name" not in meta:
            return None
        try:
            return IndexManifest(str(meta["model_name"]), int(meta["dimension"]), json.loads(meta["collections"]))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("ignoring the unreadable index manifest %s in the shared memory: %s", self.name, exc)
            return None

    def write(self, manifest: IndexManifest) -> None:
        meta = {"model_name": manifest.model_name, "dimension": manifest.dimension,
                "collections": json.dumps(manifest.collections, sort_keys=True)}
        collection = self._client.get_or_create_collection(self.name, metadata=meta, embedding_function=None)
        if dict(collection.metadata or {}) != meta:
            collection.modify(metadata=meta)
