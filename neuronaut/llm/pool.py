"""A pool of OpenAI-compatible model servers behind the LiteLLM router.

The router sends each decision to the least busy backend (fewest requests in
flight), retries a failed request on another backend, and cools a failing
backend down for ``cooldown_s`` so that a dead server stops costing a round
trip per request. A backend that comes back is tried again once its cooldown
ends. Decisions stay grammar-constrained: the ``grammar`` field travels in the
request body (``extra_body``), exactly as ``OpenAIChatModel`` sends it.

LiteLLM is an optional dependency (``requirements/pool.txt``, hash-pinned); it is
imported only when a pool is built. The process environment must carry
``LITELLM_LOCAL_MODEL_COST_MAP=True`` (``Settings.process_environment`` is the
place), or importing LiteLLM tries to download a price list from the internet.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage

from neuronaut.errors import UserError
from neuronaut.llm.base import Completion
from neuronaut.llm.openai_compat import (
    Constraint,
    ModelEndpointError,
    OpenAIChatModel,
    completion_from,
    constraint_fields,
    openai_messages,
)

log = logging.getLogger(__name__)

_INSTALL_HINT = "pip install --no-deps --require-hashes -r requirements/pool.txt"
_CALLBACK_LISTS = ("input_callback", "success_callback", "failure_callback", "_async_success_callback",
                   "_async_failure_callback", "_async_input_callback", "callbacks")


@dataclass(frozen=True)
class PoolPolicy:
    """How the router treats failures; the defaults suit a handful of local servers."""

    retries: int = 3  # per request, each on the least busy backend not cooling down
    allowed_fails: int = 1  # failures a backend may have before it is cooled down
    cooldown_s: float = 30.0
    timeout_s: float = 120.0  # per attempt, including the wait in the backend's one-at-a-time queue


def _litellm() -> Any:
    try:
        import litellm
    except ImportError:
        raise UserError(f"a model pool needs LiteLLM; install it with: {_INSTALL_HINT}") from None
    litellm.suppress_debug_info = True  # its "give feedback" banner on every exception is noise in our logs
    return litellm


def _backend_failures() -> tuple[type[Exception], ...]:
    """What the router raises when the backends fail (as opposed to a bug on our side)."""
    import openai
    from litellm.types.router import RouterRateLimitError, RouterRateLimitErrorBasic

    # RouterRateLimitError: every backend is cooling down ("no deployments available").
    return (openai.OpenAIError, RouterRateLimitError, RouterRateLimitErrorBasic)


def deployment(endpoint: str, model: str, group: str, deployment_id: str, policy: PoolPolicy) -> dict[str, Any]:
    """One backend as a LiteLLM router deployment."""
    return {
        "model_name": group,
        "litellm_params": {
            "model": f"openai/{model}",  # the generic OpenAI-compatible provider
            "api_base": endpoint.rstrip("/"),
            "api_key": "none",  # local servers need none, but the OpenAI client insists on one
            "timeout": policy.timeout_s,
            "max_retries": 0,  # the router retries across backends; the client must not retry the same one
        },
        # Zero prices: local tokens are free, and LiteLLM warns about every model missing from its price list.
        "model_info": {"id": deployment_id, "input_cost_per_token": 0.0, "output_cost_per_token": 0.0,
                       "cache_creation_input_token_cost": 0.0, "cache_read_input_token_cost": 0.0},
    }


def count_when_routed(selector: Any) -> None:
    """Make LiteLLM's least-busy count a request as in flight the moment it is routed.

    Stock least-busy counts a request only when its HTTP call starts
    (``log_pre_api_call``), several awaits after the routing decision: a burst
    of simultaneous decisions (three agents stepping together) is routed
    before any of them is counted, and every one lands on the first backend.
    The success and failure callbacks still take the request off the count.
    """
    pick = selector.async_get_available_deployments
    cache = selector.router_cache

    async def pick_and_count(model_group: str, healthy_deployments: list) -> Any:
        chosen = await pick(model_group=model_group, healthy_deployments=healthy_deployments)
        if chosen:
            key = f"{model_group}_request_count"  # the key least-busy itself reads and decrements
            counts = await cache.async_get_cache(key=key) or {}
            dep_id = str(chosen["model_info"]["id"])
            counts[dep_id] = counts.get(dep_id, 0) + 1
            await cache.async_set_cache(key=key, value=counts)
        return chosen

    # Instance attributes, not a subclass: the router built and registered this very object.
    selector.async_get_available_deployments = pick_and_count
    selector.log_pre_api_call = lambda model, messages, kwargs: None  # counted above already


class PooledChatModel:
    """``DecisionModel`` over several OpenAI-compatible endpoints, routed least-busy with retries and cooldown."""

    def __init__(
        self,
        endpoints: list[str],
        *,
        model: str = "local",
        name: str | None = None,
        max_tokens: int = 160,
        temperature: float = 0.2,
        seed: int | None = 7,
        constraint: Constraint = "grammar",
        policy: PoolPolicy | None = None,
    ) -> None:
        if not endpoints:
            raise UserError("a model pool needs at least one endpoint (model_endpoints is empty)")
        self.endpoints = [e.rstrip("/") for e in endpoints]
        self.model = model
        self.name = name or f"{model}@pool({len(self.endpoints)})"
        self.max_tokens, self.temperature, self.seed = max_tokens, temperature, seed
        self.constraint: Constraint = constraint
        self.policy = policy or PoolPolicy()
        self.served: Counter[str] = Counter()  # endpoint → decisions it answered
        # Unique ids and group: least-busy keeps its in-flight counts in callbacks that are global to LiteLLM,
        # so two pools in one process must not share names.
        tag = secrets.token_hex(4)
        self._group = f"neuronaut-{tag}"
        self._endpoint_of = {f"{tag}-{i}": url for i, url in enumerate(self.endpoints)}
        self._router = self._build_router()
        self._backend_failures = _backend_failures()

    def _build_router(self) -> Any:
        litellm = _litellm()
        model_list = [deployment(url, self.model, self._group, dep_id, self.policy)
                      for dep_id, url in self._endpoint_of.items()]
        router = litellm.Router(
            model_list=model_list,
            routing_strategy="least-busy",
            num_retries=self.policy.retries,
            allowed_fails=self.policy.allowed_fails,
            cooldown_time=self.policy.cooldown_s,
            retry_after=0,  # another backend is usually free at once; waiting only adds latency
            timeout=self.policy.timeout_s,
        )
        count_when_routed(router.leastbusy_logger)
        return router

    async def start(self) -> dict[str, bool]:
        """Probe every endpoint; fails only when none answers (the router copes with some being down)."""
        reachable: dict[str, bool] = {}
        for url in self.endpoints:
            probe = OpenAIChatModel(url, model=self.model, timeout_s=10.0)
            try:
                await probe.start()
                reachable[url] = True
            except ModelEndpointError as exc:
                log.warning("model pool: %s", exc)
                reachable[url] = False
            finally:
                await probe.aclose()
        if not any(reachable.values()):
            raise ModelEndpointError(f"no model endpoint of the pool answers ({', '.join(self.endpoints)}); "
                                     "start them with `neuronaut serve-model --port PORT`")
        return reachable

    async def decide(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Completion:
        return await self._chat(messages, self.max_tokens, self.temperature, constraint_fields(schema, self.constraint))

    async def compose(self, messages: list[BaseMessage], max_tokens: int,
                      temperature: float | None = None) -> Completion:
        chosen = self.temperature if temperature is None else temperature
        return await self._chat(messages, max_tokens, chosen, None)

    async def _chat(self, messages: list[BaseMessage], max_tokens: int, temperature: float,
                    constraint: dict[str, Any] | None) -> Completion:
        started = time.perf_counter()
        try:
            response = await self._router.acompletion(
                model=self._group,
                messages=openai_messages(messages),
                max_tokens=max_tokens,
                temperature=temperature,
                **({"seed": self.seed} if self.seed is not None else {}),
                **({"extra_body": constraint} if constraint is not None else {}),
            )
        except self._backend_failures as exc:  # anything else is a bug and keeps its traceback
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            raise ModelEndpointError(f"every attempt on the model pool failed ({first_line}); "
                                     f"check the servers at {', '.join(self.endpoints)}") from None
        endpoint = self._endpoint_of.get(str(response._hidden_params.get("model_id")), "unknown")
        self.served[endpoint] += 1
        return completion_from(response.model_dump(), time.perf_counter() - started, endpoint,
                               free_text=constraint is None)

    async def cooling_down(self) -> list[str]:
        """Endpoints the router is skipping right now."""
        from litellm.router_utils.cooldown_handlers import _async_get_cooldown_deployments

        ids = await _async_get_cooldown_deployments(self._router, None)  # LiteLLM has no public call for this
        return sorted(self._endpoint_of[i] for i in ids if i in self._endpoint_of)

    async def aclose(self) -> None:
        """Let LiteLLM's background logging queue (which also feeds least-busy's counts) drain, then close."""
        from litellm.litellm_core_utils.logging_worker import GLOBAL_LOGGING_WORKER

        try:
            await asyncio.wait_for(GLOBAL_LOGGING_WORKER.flush(), timeout=5.0)
        except TimeoutError:
            log.warning("model pool: LiteLLM's logging queue did not drain within 5 s")
        self.close()

    def close(self) -> None:
        # Unhook the router and its least-busy counter from LiteLLM's global callback lists;
        # otherwise every pool ever built keeps receiving every call's events.
        import litellm

        self._router.discard()
        selector, manager = self._router.leastbusy_logger, litellm.logging_callback_manager
        for name in _CALLBACK_LISTS:  # LiteLLM copies the selector into these lists on first use
            manager.remove_callback_from_list_by_object(getattr(litellm, name, None), selector, require_self=False)
