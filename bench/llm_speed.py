"""Decision speed: our grammar-constrained wrapper vs raw llama-cpp-python, same prompts, one run.

    python bench/llm_speed.py [--model qwen2.5-coder-1.5b] [--rounds 5]

Prints decode tok/s, prefill tok/s and tokens per decision for three ways to
produce a decision: raw llama-cpp-python without a grammar, raw with the same
grammar, and NeuroNaut's LocalChatModel (ChatLlamaCpp + grammar). Each path
loads its own model instance so no KV cache is shared between paths.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import llama_cpp
from langchain_core.messages import HumanMessage, SystemMessage
from llama_cpp import Llama

from neuronaut.decision import Action, decision_schema
from neuronaut.llm.grammar import schema_grammar
from neuronaut.llm.local import LocalChatModel
from neuronaut.llm.presets import resolve_model
from neuronaut.prompts import load_prompt
from neuronaut.settings import Settings

SCREENS = [
    ("🏠 Town · ❤️ 20/20 · Lv 1 · XP 0/10 · 💰 10", ["🌲 Forest", "🛒 Shop", "🛏️ Inn (5g)"]),
    ("A Slime appears! Slime ❤️ 6/6. You ❤️ 18/20", ["⚔️ Attack", "🛡️ Defend", "🧪 Potion", "🏃 Flee"]),
    ("Wolf ❤️ 9/12. You ❤️ 3/20", ["⚔️ Attack", "🛡️ Defend", "🧪 Potion", "🏃 Flee"]),
    ("You won! +6 XP. ❤️ 7/20 · Lv 1 · XP 9/10", ["🔍 Explore", "🏠 Town"]),
    ("🛒 Shop · 💰 30", ["🧪 Potion (10g)", "🗡️ Sword (25g)", "🏠 Town"]),
]


def prompts() -> list[tuple[str, str, dict]]:
    system = "You play a Telegram RPG by pressing buttons.\n\n" + load_prompt("rpg_examples") + "\n\nGoal: reach level 2"
    cases = []
    for screen, buttons in SCREENS:
        action = Action("press_inline_button", "Press a button.", {
            "type": "object", "properties": {"button_text": {"enum": buttons}}, "required": ["button_text"]})
        user = f"Observation:\nGame screen: {screen}\nButtons: " + " | ".join(f"[{b}]" for b in buttons)
        cases.append((system, user + "\nAnswer with one JSON object.", decision_schema([action])))
    return cases


def measure_raw(llm: Llama, cases, rounds: int, use_grammar: bool, max_tokens: int) -> list[dict]:
    rows = []
    for _ in range(rounds):
        for system, user, schema in cases:
            grammar = schema_grammar(schema) if use_grammar else None
            llama_cpp.llama_perf_context_reset(llm._ctx.ctx)
            started = time.perf_counter()
            llm.create_chat_completion(messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                                       grammar=grammar, max_tokens=max_tokens, temperature=0.2)
            rows.append(_perf(llm, time.perf_counter() - started))
    return rows


def measure_wrapper(model: LocalChatModel, cases, rounds: int) -> list[dict]:
    rows = []
    for _ in range(rounds):
        for system, user, schema in cases:
            c = asyncio.run(model.decide([SystemMessage(system), HumanMessage(user)], schema))
            rows.append({"decode_tokens": c.completion_tokens, "decode_s": c.decode_s, "prefill_tokens": c.prefill_tokens,
                         "prefill_s": c.prefill_s, "wall_s": c.total_s})
    return rows


def _perf(llm: Llama, wall: float) -> dict:
    d = llama_cpp.llama_perf_context(llm._ctx.ctx)
    return {"decode_tokens": d.n_eval, "decode_s": d.t_eval_ms / 1000, "prefill_tokens": d.n_p_eval,
            "prefill_s": d.t_p_eval_ms / 1000, "wall_s": wall}


def summarise(name: str, rows: list[dict]) -> str:
    dec = sum(r["decode_tokens"] for r in rows) / max(sum(r["decode_s"] for r in rows), 1e-9)
    pre = sum(r["prefill_tokens"] for r in rows) / max(sum(r["prefill_s"] for r in rows), 1e-9)
    per = statistics.mean(r["decode_tokens"] for r in rows)
    wall = statistics.mean(r["wall_s"] for r in rows)
    return f"{name:<34} {dec:>9.1f} {pre:>10.1f} {per:>12.1f} {wall:>10.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = Settings.load()
    settings.apply_process_environment()
    path = resolve_model(args.model or settings.model, settings.models_dir)
    cases = prompts()
    kw = dict(n_ctx=settings.n_ctx, n_batch=settings.n_batch, n_threads=settings.n_threads, verbose=False)
    print(f"model {path.name}, {len(cases)} prompts x {args.rounds} rounds, {settings.n_threads} threads\n")
    print(f"{'path':<34} {'decode t/s':>9} {'prefill t/s':>10} {'tok/decision':>12} {'wall s':>10}")
    raw = Llama(str(path), **kw)
    print(summarise("raw llama-cpp-python, no grammar", measure_raw(raw, cases, args.rounds, False, settings.max_decision_tokens)))
    print(summarise("raw llama-cpp-python + grammar", measure_raw(raw, cases, args.rounds, True, settings.max_decision_tokens)))
    raw.close()
    wrapper = LocalChatModel(path, n_ctx=settings.n_ctx, n_batch=settings.n_batch, n_threads=settings.n_threads,
                             max_tokens=settings.max_decision_tokens)
    print(summarise("NeuroNaut LocalChatModel + grammar", measure_wrapper(wrapper, cases, args.rounds)))


if __name__ == "__main__":
    main()
