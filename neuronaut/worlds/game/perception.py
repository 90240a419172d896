"""Learned perception: find where a bot shows the player's standing, and learn code that reads it.

On first contact the model is shown what the bot said at /start and on Telegram's global /help, and picks,
among the buttons on screen and the commands the bot mentioned, the one that shows the player's standing
(and, after a press, the button back). Its grammar-constrained reading of that screen is the reference a
reader is judged by: the model writes ``read(text)``, which runs in the sandbox and is trusted only once it
agrees with the model on ``TRUST_AFTER`` different screens. A trusted reader that stops matching (the bot
changed its layout) is set aside and a new one is learned the same way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neuronaut.llm.base import DecisionModel
from neuronaut.worlds.game.asking import ModelQuestions
from neuronaut.worlds.game.chat import ChatView, bot_messages, buttons_of, screen_of
from neuronaut.worlds.game.goals import normalise
from neuronaut.worlds.game.knowledge import BotKnowledge, KnowledgeStore, Probe
from neuronaut.worlds.game.reader import ReaderSandbox, agrees

log = logging.getLogger(__name__)

TRUST_AFTER = 3  # distinct screens a reader must read as the model does
SPOT_CHECK_EVERY = 10  # new screens a trusted reader reads between two readings by the model
MAX_PROBES = 3  # candidates tried on first contact
MAX_REMEMBERED = 500
WRITE_ATTEMPTS = 2  # readers written per screen before waiting for the next one
MAX_CANDIDATES = 24
HELP_COMMAND = "/help"  # with /start, one of Telegram's global bot commands
_COMMAND = re.compile(r"(?<![\w/])/[a-z][a-z0-9_]{1,31}\b", re.IGNORECASE)


@dataclass
class Measure:
    values: dict[str, Any]
    source: str  # "reader" (trusted code), "model" (its own reading, while no reader is trusted) or "none"
    note: str = ""


class Perception:
    def __init__(self, model: DecisionModel | None, store: KnowledgeStore, sandbox: ReaderSandbox,
                 prompt: Callable[[str], str]) -> None:
        self.ask = ModelQuestions(model, prompt)
        self.store = store
        self.sandbox = sandbox
        self.knowledge: BotKnowledge | None = None
        self.screens: list[tuple[str, dict[str, Any]]] = []  # the model's readings this layout, distinct texts
        self.relearned = 0
        self.own_messages: set[int] = set()  # messages the world's looks at the status caused
        self._model_read: dict[str, dict[str, Any]] = {}  # the model's reading of each screen it read
        self._read_alone: set[str] = set()  # screens the trusted reader read without the model

    @property
    def model(self) -> DecisionModel | None:
        return self.ask.model

    @model.setter
    def model(self, model: DecisionModel | None) -> None:
        self.ask.model = model

    @property
    def model_calls(self) -> int:
        return self.ask.calls

    def load(self, bot: str) -> BotKnowledge:
        if self.knowledge is None or self.knowledge.bot != bot:
            self.knowledge = self.store.load(bot)
            self.knowledge.unreadable = ""  # a bot that showed nothing readable last run gets another look
        return self.knowledge

    def save(self) -> None:
        if self.knowledge is not None:
            self.store.save(self.knowledge)

    # --- finding the status ------------------------------------------------------------------

    async def first_contact(self, view: ChatView) -> None:
        """Find the probe that shows the player's standing; read it once and write a first reader."""
        knowledge = self.knowledge
        assert knowledge is not None
        if knowledge.probe is not None or knowledge.unreadable:
            return
        if self.model is None:
            knowledge.unreadable = "no model to learn how this bot shows the player's standing"
            return
        help_answer = await view.send(HELP_COMMAND)
        tried: list[str] = []
        for _ in range(MAX_PROBES):
            messages = await view.messages()
            candidates = [c for c in _candidates(messages) if c not in tried]
            if not candidates:
                break
            context = "\n---\n".join(m.get("text", "") for m in bot_messages(messages)[-6:])[-1500:]
            choice = await self.ask.choose("game_probe", candidates, context=context,
                                        candidates="\n".join(f"- {c}" for c in candidates))
            if choice is None:
                break
            tried.append(choice)
            probe = Probe("send", choice) if choice.startswith("/") else Probe("press", choice)
            text = await self._show(view, probe, learning=True)
            if text and await self.measure(text):
                knowledge.probe = probe
                self.save()
                return
        said = "" if help_answer.messages else f" (and nothing on {HELP_COMMAND})"
        knowledge.unreadable = (f"no screen of this bot showed the player's standing{said}; tried: "
                                f"{', '.join(tried) or 'nothing it offered looked like a status'}")
        self.save()

    async def status_text(self, view: ChatView) -> str | None:
        """The status screen now, shown by the probe; None when the probe cannot be used from here."""
        probe = self.knowledge.probe if self.knowledge else None
        return None if probe is None else await self._show(view, probe, learning=False)

    async def _show(self, view: ChatView, probe: Probe, *, learning: bool) -> str | None:
        if probe.kind == "send":
            answer = await view.send(probe.text)
            return answer.text or None
        label = _find_label(probe.text, buttons_of(screen_of(await view.messages(100))))
        if label is None:
            return None
        answer = await view.press(label)
        screen = answer.screen
        text = (screen or {}).get("text") or answer.text
        shown = buttons_of(screen)
        if learning and screen is not None and label not in shown:
            probe.back = await self.ask.choose("game_back", shown, screen=text[-1200:]) or ""
        if probe.back and (back := _find_label(probe.back, shown)) is not None:
            await view.press(back)
        return text or None

    # --- reading ---------------------------------------------------------------------------

    async def measure(self, text: str) -> Measure | None:
        """The player's quantities on ``text``: by the trusted reader, else by the model (which also teaches
        and tests a reader); None when neither reads anything there."""
        knowledge = self.knowledge
        assert knowledge is not None
        reader = knowledge.reader
        if reader is not None and reader.status == "trusted":
            reading, differences = (await self.sandbox.run(reader.code, [text]))[0], []
            missing = [n for n in knowledge.names if normalise(n) not in {normalise(k) for k in reading.values or {}}]
            if reading.values and not missing:
                values = {k: v for k, v in reading.values.items() if match_key(k, knowledge.names)}
                differences = await self._spot_check(text, values)
                if not differences:
                    knowledge.see(values)
                    return Measure(values, "reader")
            why = reading.error or (f"it no longer finds {', '.join(missing)}" if missing
                                    else f"it disagrees with the model: {'; '.join(differences)}")
            log.info("the reader of %s stopped matching: %s", knowledge.bot, why)
            knowledge.set_aside("stopped-matching", why[:200])
            self.screens, self.relearned = [], self.relearned + 1
            knowledge.names = []  # a new layout may name things differently
        values = await self.read_by_model(text)
        if not values:
            return None
        if not knowledge.names:
            knowledge.names = list(values)
        if text not in {t for t, _ in self.screens}:  # a screen seen before brings no new evidence
            self.screens.append((text, values))
            await self._teach()
            self.save()
        knowledge.see(values)
        return Measure(values, "model", self.trust_note())

    async def _spot_check(self, text: str, values: dict[str, Any]) -> list[str]:
        """Every ``SPOT_CHECK_EVERY``-th new screen a trusted reader reads, the model reads it too: a layout
        change that moves numbers without removing any is caught there."""
        if text in self._read_alone:
            return []
        self._read_alone.add(text)
        if len(self._read_alone) % SPOT_CHECK_EVERY or self.model is None:
            return []
        expected = await self.read_by_model(text)
        return agrees(values, expected) if expected else []

    def trust_note(self) -> str:
        reader = self.knowledge.reader if self.knowledge else None
        if reader is None:
            return "no reader yet"
        return f"reader {reader.status}, {reader.agreed} of {TRUST_AFTER} screens agree"

    async def _teach(self) -> None:
        """Test the reader in use on every screen of this layout; write a new one when it is missing or wrong."""
        knowledge = self.knowledge
        assert knowledge is not None
        feedback, writes = "", 0
        reader = knowledge.reader
        while True:
            if reader is None:
                if writes >= WRITE_ATTEMPTS:
                    return  # the next screen brings another chance
                text, expected = self.screens[-1]
                code = await self.ask.write(text, expected, feedback)
                writes += 1
                if not code:
                    return
                reader = knowledge.add_reader(code)
            feedback = await self._test(reader)
            if not feedback:
                return
            reader = None

    async def _test(self, reader) -> str:  # noqa: ANN001 - a ReaderVersion
        readings = await self.sandbox.run(reader.code, [t for t, _ in self.screens])
        for (text, expected), reading in zip(self.screens, readings, strict=False):
            differences = [reading.error] if reading.error else agrees(reading.values or {}, expected)
            if differences:
                note = "; ".join(differences)[:400]
                self.knowledge.set_aside("rejected", note)  # type: ignore[union-attr]
                return f"Your last version was wrong on this screen:\n{text[-600:]}\nIt gave: {note}"
        reader.agreed = len(self.screens)
        if reader.agreed >= TRUST_AFTER:
            reader.status = "trusted"
        return ""

    async def read_by_model(self, text: str) -> dict[str, Any]:
        if text in self._model_read:
            return self._model_read[text]
        values = await self.ask.read(text, self.knowledge.names if self.knowledge else [])
        if len(self._model_read) > MAX_REMEMBERED:
            self._model_read.clear()
        self._model_read[text] = values
        return values

    async def meaning(self, goal: str, word: str) -> str | None:
        """Which quantity the goal's ``word`` means: by name, else as the model judges (remembered per bot)."""
        knowledge = self.knowledge
        if knowledge is None or not knowledge.names:
            return None
        if (key := match_key(word, knowledge.names)) is not None:
            return key
        if knowledge.meanings.get(word, "") not in ("", *knowledge.names) or word not in knowledge.meanings:
            knowledge.meanings[word] = await self.ask.choose("game_meaning", knowledge.names, goal=goal, word=word,
                                                          names="\n".join(f"- {n}" for n in knowledge.names)) or ""
            self.save()
        return knowledge.meanings[word] or None

def match_key(word: str, names: list[str]) -> str | None:
    from neuronaut.worlds.game.goals import match_name

    return match_name(word, names)


def _candidates(messages: list[dict[str, Any]]) -> list[str]:
    """Buttons on the screen now, then the commands the bot mentioned (other than /start and /help)."""
    found = list(buttons_of(screen_of(messages)))
    for message in bot_messages(messages):
        for command in _COMMAND.findall(message.get("text", "")):
            if command.lower() not in ("/start", HELP_COMMAND) and command not in found:
                found.append(command)
    return found[:MAX_CANDIDATES]


def _find_label(wanted: str, labels: list[str]) -> str | None:
    """``wanted`` among ``labels``, or the label that differs from it only in its numbers ("Repair (12¢)")."""
    if wanted in labels:
        return wanted
    bare = re.sub(r"\d+", "#", wanted)
    return next((label for label in labels if re.sub(r"\d+", "#", label) == bare), None)
