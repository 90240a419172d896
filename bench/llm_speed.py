"""Decision speed: our grammar-constrained wrapper vs raw llama-cpp-python, same prompts, one run.

    python bench/llm_speed.py [--model qwen2.5-coder-1.5b] [--rounds 3] [--no-fresh]

Prints decode tok/s, prefill tok/s, tokens and wall seconds per decision for:
raw llama-cpp-python without a grammar, raw with the same grammar, the previous
wrapper (langchain-community's ChatLlamaCpp with its default sampling: repeat
penalty 1.1) and NeuroNaut's LocalChatModel. Each path loads its own model
instance, so no KV cache is shared between paths; the paths take turns round
by round (the machine is shared: a load change hits every path alike), and
the first round, which prefills the system prompt, is left out of the figures.
The load average is printed with each round.

Then the first decision of a fresh process, twice each way, alternating:
without a saved prefix state (cold) and with the one the previous process saved.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import llama_cpp
from langchain_core.messages import HumanMessage, SystemMessage
from llama_cpp import Llama

from neuronaut.decision import Action, decision_schema
from neuronaut.llm.grammar import schema_grammar
from neuronaut.llm.local import LocalChatModel
from neuronaut.llm.presets import resolve_model
from neuronaut.worlds.rpg.world import RpgWorld
from neuronaut.settings import Settings

SCREENS = [
    ("🏠 Town · ❤️ 20/20 · Lv 1 · XP 0/10 · 💰 10", ["🌲 Forest", "🛒 Shop", "🛏️ Inn (5g)"]),
    ("A Slime appears! Slime ❤️ 6/6. You ❤️ 18/20", ["⚔️ Attack", "🛡️ Defend", "🧪 Potion", "🏃 Flee"]),
    ("Wolf ❤️ 9/12. You ❤️ 3/20", ["⚔️ Attack", "🛡️ Defend", "🧪 Potion", "🏃 Flee"]),
    ("You won! +6 XP. ❤️ 7/20 · Lv 1 · XP 9/10", ["🔍 Explore", "🏠 Town"]),
    ("🛒 Shop · 💰 30", ["🧪 Potion (10g)", "🗡️ Sword (25g)", "🏠 Town"]),
]


def prompts() -> list[tuple[str, str, dict]]:
    system = "You play a Telegram RPG by pressing buttons.\n\n" + RpgWorld().prompt(RpgWorld.examples_prompt) + "\n\nGoal: reach level 2"
    cases = []
    for screen, buttons in SCREENS:
        action = Action("press_inline_button", "Press a button.", {
            "type": "object", "properties": {"button_text": {"enum": buttons}}, "required": ["button_text"]})
        user = f"Observation:\nGame screen: {screen}\nButtons: " + " | ".join(f"[{b}]" for b in buttons)
        cases.append((system, user + "\nAnswer with one JSON object.", decision_schema([action])))
    return cases


def raw_path(llm: Llama, use_grammar: bool, max_tokens: int, temperature: float):
    def run(system: str, user: str, schema: dict) -> dict:
        llama_cpp.llama_perf_context_reset(llm._ctx.ctx)
        started = time.perf_counter()
        llm.create_chat_completion(messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                                   grammar=schema_grammar(schema) if use_grammar else None, max_tokens=max_tokens,
                                   temperature=temperature)
        return _perf(llm, time.perf_counter() - started)
    return run


def chat_llamacpp_path(path: Path, settings: Settings):
    """The previous wrapper, configured as it was: ChatLlamaCpp's own sampling defaults."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.chat_models.llamacpp import ChatLlamaCpp
    chat = ChatLlamaCpp(model_path=str(path), n_ctx=settings.n_ctx, n_batch=settings.n_batch,
                        n_threads=settings.n_threads, max_tokens=settings.max_decision_tokens,
                        temperature=settings.temperature, seed=settings.seed, streaming=False,
                        rope_freq_base=0.0, rope_freq_scale=0.0, verbose=False)

    def run(system: str, user: str, schema: dict) -> dict:
        llama_cpp.llama_perf_context_reset(chat.client._ctx.ctx)
        started = time.perf_counter()
        chat.generate([[SystemMessage(system), HumanMessage(user)]], grammar=schema_grammar(schema))
        return _perf(chat.client, time.perf_counter() - started)
    return run


def wrapper_path(model: LocalChatModel):
    def run(system: str, user: str, schema: dict) -> dict:
        c = asyncio.run(model.decide([SystemMessage(system), HumanMessage(user)], schema))
        return {"decode_tokens": c.completion_tokens, "decode_s": c.decode_s, "prefill_tokens": c.prefill_tokens,
                "prefill_s": c.prefill_s, "wall_s": c.total_s}
    return run


def _perf(llm: Llama, wall: float) -> dict:
    d = llama_cpp.llama_perf_context(llm._ctx.ctx)
    return {"decode_tokens": d.n_eval, "decode_s": d.t_eval_ms / 1000, "prefill_tokens": d.n_p_eval,
            "prefill_s": d.t_p_eval_ms / 1000, "wall_s": wall}


def summarise(name: str, rows: list[dict]) -> str:
    dec = sum(r["decode_tokens"] for r in rows) / max(sum(r["decode_s"] for r in rows), 1e-9)
    pre = sum(r["prefill_tokens"] for r in rows) / max(sum(r["prefill_s"] for r in rows), 1e-9)
    per = statistics.mean(r["decode_tokens"] for r in rows)
    wall = statistics.mean(r["wall_s"] for r in rows)
    other = statistics.mean(r["wall_s"] - r["decode_s"] - r["prefill_s"] for r in rows)
    return f"{name:<36} {dec:>9.1f} {pre:>10.1f} {per:>12.1f} {wall:>8.2f} {other:>9.2f}"


def first_decision(model: str, cache: str, entries: int) -> dict:
    """One decision in this (fresh) process; prints its figures as JSON for the parent."""
    settings = Settings.load()
    settings.apply_process_environment()
    path = resolve_model(model, settings.models_dir)
    started = time.perf_counter()
    llm = LocalChatModel(path, n_ctx=settings.n_ctx, n_batch=settings.n_batch, n_threads=settings.n_threads,
                         max_tokens=settings.max_decision_tokens, temperature=settings.temperature,
                         seed=settings.seed, prefix_cache_dir=Path(cache), prefix_cache_entries=entries)
    loaded = time.perf_counter() - started
    system, user, schema = prompts()[0]
    c = asyncio.run(llm.decide([SystemMessage(system), HumanMessage(user)], schema))
    return {"load_s": loaded, "decision_s": c.total_s, "prefill_tokens": c.prefill_tokens,
            "prompt_tokens": c.prompt_tokens, "prefix": c.extra.get("prefix"), "raw": c.raw,
            "load_avg": os.getloadavg()[0]}


def fresh_processes(model: str, pairs: int) -> None:
    print("\nfirst decision in a fresh process (model load excluded)")
    print(f"{'prefix state':<24} {'decision s':>10} {'prefilled':>9} {'of prompt':>9} {'load avg':>8}")
    answers = set()
    with tempfile.TemporaryDirectory() as cache:
        saved = Path(cache) / "saved"
        for _ in range(pairs):
            for label, folder, entries in (("none (cold)", Path(cache) / "none", 0), ("saved by a previous run", saved, 3)):
                if entries and not saved.exists():  # the first warm run needs a state: a cold run saves one
                    _child(model, saved, entries)
                r = _child(model, folder, entries)
                answers.add(r["raw"])
                print(f"{label:<24} {r['decision_s']:>10.2f} {r['prefill_tokens']:>9} {r['prompt_tokens']:>9} "
                      f"{r['load_avg']:>8.2f}   ({r['prefix']})", flush=True)
    print(f"distinct answers across these runs: {len(answers)}")


def _child(model: str, cache: Path, entries: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--model", model, "--first-decision", str(cache),
                          "--entries", str(entries)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-fresh", action="store_true", help="skip the fresh-process first decisions")
    parser.add_argument("--first-decision", metavar="CACHE_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--entries", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings = Settings.load()
    settings.apply_process_environment()
    model = args.model or settings.model
    if args.first_decision:
        print(json.dumps(first_decision(model, args.first_decision, args.entries)))
        return
    path = resolve_model(model, settings.models_dir)
    cases = prompts()
    kw = dict(n_ctx=settings.n_ctx, n_batch=settings.n_batch, n_threads=settings.n_threads, verbose=False)
    print(f"model {path.name}, {len(cases)} prompts x {args.rounds} rounds (first left out), "
          f"{settings.n_threads} threads, load average at start {os.getloadavg()[0]:.2f}\n")
    tokens, temperature = settings.max_decision_tokens, settings.temperature
    paths = {
        "raw llama-cpp-python, no grammar": raw_path(Llama(str(path), seed=settings.seed, **kw), False, tokens, temperature),
        "raw llama-cpp-python + grammar": raw_path(Llama(str(path), seed=settings.seed, **kw), True, tokens, temperature),
        "ChatLlamaCpp + grammar (previous)": chat_llamacpp_path(path, settings),
        "NeuroNaut LocalChatModel + grammar": wrapper_path(LocalChatModel(
            path, n_ctx=settings.n_ctx, n_batch=settings.n_batch, n_threads=settings.n_threads,
            max_tokens=tokens, temperature=temperature, seed=settings.seed)),
    }
    rows: dict[str, list[dict]] = {name: [] for name in paths}
    for round_no in range(args.rounds):
        for name, run in paths.items():
            measured = [run(*case) for case in cases]
            if round_no > 0 or args.rounds == 1:
                rows[name] += measured
        print(f"round {round_no + 1}: load average {os.getloadavg()[0]:.2f}", flush=True)
    print(f"\n{'path':<36} {'decode t/s':>9} {'prefill t/s':>10} {'tok/decision':>12} {'wall s':>8} {'other s':>9}")
    for name, measured in rows.items():
        print(summarise(name, measured))
    print("(other s: wall minus prefill and decode: sampling with the grammar, templating, Python)")
    if not args.no_fresh:
        fresh_processes(model, pairs=2)


if __name__ == "__main__":
    main()
