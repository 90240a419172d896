"""Model pool throughput: 1 vs 2 llama_cpp.server backends behind the LiteLLM router, on this machine.

    python bench/pool.py [--model smollm2-135m] [--clients 3] [--decisions 6]

Starts real `serve-model` processes on 127.0.0.1 and prints, per setup,
decisions/s and per-decision latency (p50/p95) with several concurrent
clients (agents), plus the router's own overhead per request measured
against an instant fake backend (router vs. a direct OpenAIChatModel).
On one small box the backends share cores and memory bandwidth: compare
"2 backends x 1 thread" with "1 backend x 2 threads", not with 1 thread.
"CPU s/dec" is the backends' CPU time per decision: on a machine shared with
other work, wall-clock rates swing with the neighbours' load, CPU time much less.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from langchain_core.messages import HumanMessage, SystemMessage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from neuronaut.decision import Action, decision_schema  # noqa: E402
from neuronaut.llm.openai_compat import OpenAIChatModel  # noqa: E402
from neuronaut.llm.pool import PooledChatModel, PoolPolicy  # noqa: E402
from neuronaut.llm.server import ServerProcess, free_port  # noqa: E402
from neuronaut.worlds.rpg.world import RpgWorld  # noqa: E402

SCREENS = [
    ("🏠 Town · ❤️ 20/20 · Lv 1 · XP 0/10 · 💰 10", ["🌲 Forest", "🛒 Shop", "🛏️ Inn (5g)"]),
    ("A Slime appears! Slime ❤️ 6/6. You ❤️ 18/20", ["⚔️ Attack", "🛡️ Defend", "🧪 Potion", "🏃 Flee"]),
    ("Wolf ❤️ 9/12. You ❤️ 3/20", ["⚔️ Attack", "🛡️ Defend", "🧪 Potion", "🏃 Flee"]),
    ("You won! +6 XP. ❤️ 7/20 · Lv 1 · XP 9/10", ["🔍 Explore", "🏠 Town"]),
    ("🛒 Shop · 💰 30", ["🧪 Potion (10g)", "🗡️ Sword (25g)", "🏠 Town"]),
]


def cases() -> list[tuple[list, dict]]:
    system = "You play a Telegram RPG by pressing buttons.\n\n" + RpgWorld().prompt(RpgWorld.examples_prompt) + "\n\nGoal: reach level 2"
    out = []
    for screen, buttons in SCREENS:
        action = Action("press_inline_button", "Press a button.", {
            "type": "object", "properties": {"button_text": {"enum": buttons}}, "required": ["button_text"]})
        user = f"Observation:\nGame screen: {screen}\nButtons: " + " | ".join(f"[{b}]" for b in buttons)
        out.append(([SystemMessage(system), HumanMessage(user + "\nAnswer with one JSON object.")],
                    decision_schema([action])))
    return out


async def run_load(model, clients: int, decisions: int) -> dict[str, float]:  # noqa: ANN001 — any DecisionModel
    """``clients`` agents, each making ``decisions`` decisions one after another."""
    work = cases()
    latencies: list[float] = []

    async def client(offset: int) -> None:
        for i in range(decisions):
            messages, schema = work[(offset + i) % len(work)]
            started = time.perf_counter()
            await model.decide(messages, schema)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    wall = time.perf_counter() - started
    return {"n": len(latencies), "rate": len(latencies) / wall, "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95)}


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def cpu_seconds(servers: list[ServerProcess]) -> float:
    """User + system CPU time the backend processes have used (Linux /proc; nan elsewhere)."""
    total = 0.0
    for server in servers:
        try:
            fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, AttributeError):
            return float("nan")
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


async def measure(label: str, model, servers: list[ServerProcess], clients: int, decisions: int) -> str:  # noqa: ANN001
    await run_load(model, 1, 2)  # warm up: the server's KV cache holds the shared system prompt afterwards
    cpu_before = cpu_seconds(servers)
    r = await run_load(model, clients, decisions)
    cpu = (cpu_seconds(servers) - cpu_before) / r["n"]  # CPU per decision: what contention does not distort
    close = getattr(model, "aclose", None)
    if close:
        await close()
    return (f"{label:<34} {clients:>7} {r['n']:>9} {r['rate']:>7.2f} {r['p50'] * 1000:>8.0f} {r['p95'] * 1000:>8.0f}"
            f" {cpu:>9.2f}")


def pool_of(urls: list[str], model: str) -> PooledChatModel:
    return PooledChatModel(urls, model=model, max_tokens=256, policy=PoolPolicy(timeout_s=300))


def direct(url: str, model: str) -> OpenAIChatModel:
    return OpenAIChatModel(url, model=model, max_tokens=256, timeout_s=300)


async def model_rows(args: argparse.Namespace, workdir: Path) -> list[str]:
    rows = []
    one = [ServerProcess(args.model, free_port(), workdir / "a2.log", threads=2, n_ctx=args.n_ctx)]
    two = [ServerProcess(args.model, free_port(), workdir / f"b{i}.log", threads=1, n_ctx=args.n_ctx)
           for i in range(2)]
    try:
        one[0].start()
        url = one[0].url
        for clients in (1, args.clients):
            rows.append(await measure("direct, 1 backend x 2 threads", direct(url, args.model), one, clients,
                                      args.decisions))
            rows.append(await measure("router, 1 backend x 2 threads", pool_of([url], args.model), one, clients,
                                      args.decisions))
        one[0].stop()
        for server in two:
            server.start()
        urls = [s.url for s in two]
        rows.append(await measure("router, 1 backend x 1 thread", pool_of(urls[:1], args.model), two[:1],
                                  args.clients, args.decisions))
        before = [s.chat_requests_served() for s in two]
        rows.append(await measure("router, 2 backends x 1 thread", pool_of(urls, args.model), two,
                                  args.clients, args.decisions))
        served = " / ".join(str(s.chat_requests_served() - b) for s, b in zip(two, before, strict=True))
        rows.append(f"  (2-backend run, requests per backend from their access logs: {served})")
    finally:
        for server in one + two:
            server.kill()
    return rows


class InstantBackend:
    """An OpenAI-compatible endpoint that answers at once: what is left is client and router time."""

    def __init__(self) -> None:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        answer = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                  "choices": [{"index": 0, "finish_reason": "stop", "message": {
                      "role": "assistant", "content": '{"thought": "go", "tool": "press_inline_button", '
                                                      '"args": {"button_text": "🌲 Forest"}}'}}],
                  "usage": {"prompt_tokens": 300, "completion_tokens": 20, "total_tokens": 320}}

        async def chat(request):  # noqa: ANN001, ANN202
            await request.body()
            return JSONResponse(answer)

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/v1"
        app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)
        self._thread.start()
        while not self._server.started:
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)


async def overhead_rows(requests: int) -> list[str]:
    fake = InstantBackend()
    try:
        plain = await run_load(direct(fake.url, "m"), 1, requests)
        routed_model = pool_of([fake.url], "m")
        await run_load(routed_model, 1, 5)  # the router builds its HTTP client on first use
        routed = await run_load(routed_model, 1, requests)
        await routed_model.aclose()
    finally:
        fake.stop()
    extra = (routed["p50"] - plain["p50"]) * 1000
    return [f"instant fake backend, {requests} sequential requests: direct p50 {plain['p50'] * 1000:.1f} ms, "
            f"router p50 {routed['p50'] * 1000:.1f} ms -> router overhead {extra:.1f} ms/request "
            f"(p95 {plain['p95'] * 1000:.1f} vs {routed['p95'] * 1000:.1f} ms)"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--clients", type=int, default=3, help="concurrent agents")
    parser.add_argument("--decisions", type=int, default=6, help="decisions per agent")
    parser.add_argument("--n-ctx", type=int, default=2048)
    args = parser.parse_args()
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # a benchmark script, not library code
    idle_load = os.getloadavg()[0]  # before we start anything: other work that will share the CPUs
    with tempfile.TemporaryDirectory(prefix="neuronaut-bench-pool-") as tmp:
        rows = asyncio.run(model_rows(args, Path(tmp)))
    print(f"model {args.model}, {os.cpu_count()} CPUs, decisions grammar-constrained, "
          f"{args.decisions} decisions per client; load average before the run {idle_load:.1f} "
          "(above ~0.5, other work shared the CPUs)\n")
    print(f"{'setup':<34} {'clients':>7} {'decisions':>9} {'dec/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'CPU s/dec':>9}")
    print("\n".join(rows))
    print()
    print("\n".join(asyncio.run(overhead_rows(200))))


if __name__ == "__main__":
    main()
