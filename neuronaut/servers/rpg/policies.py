"""Two plain-code players for Dungeon Quest, used as baselines (no LLM).

Both see only what the agent sees: the latest bot message with buttons, as a
contract ``ChatMessage``. A policy returns the button to press.

- ``random_policy(seed)``: presses any button; the floor an agent must beat.
- ``expert_policy()``: a sensible player (rests when hurt, buys gear, takes
  quests, moves to harder areas, fights the boss when ready); the ceiling the
  game's balance is checked against.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from neuronaut.servers.chat_contract import ChatMessage, InlineButton
from neuronaut.servers.rpg.status import parse_potions, parse_status

Policy = Callable[[ChatMessage], InlineButton]

_PRICE = re.compile(r"\((\d+)g\)")
_BOSS_LEVEL = 5  # the expert waits for this level before taking on a boss
_POTIONS_WANTED = 3


def random_policy(seed: int = 0) -> Policy:
    rng = random.Random(seed)

    def choose(message: ChatMessage) -> InlineButton:
        return rng.choice(message.buttons)

    return choose


def expert_policy() -> Policy:
    return _Expert()


def _find(message: ChatMessage, word: str) -> InlineButton | None:
    word = word.casefold()
    return next((b for b in message.buttons if word in b.text.casefold()), None)


def _inn_cost(level: int) -> int:
    # The same price the town's "🛏️ Inn (Ng)" button shows.
    return 3 + 2 * level


def _price(button: InlineButton) -> int:
    found = _PRICE.search(button.text)
    return int(found[1]) if found else 0


@dataclass
class _Expert:
    bosses_beaten: set[str] = field(default_factory=set)
    quests_open: int | None = None  # None until the board has been seen
    gear_prices: list[int] | None = None  # prices of gear not yet owned, from the last shop visit

    def __call__(self, message: ChatMessage) -> InlineButton:
        status = parse_status(message.text)
        if status is None:
            return message.buttons[0]
        self._remember(message.text)
        potions = parse_potions(message.text) or 0
        hurt = status["hp"] / status["max_hp"]
        if _find(message, "attack"):
            return self._fight(message, hurt, potions)
        if _find(message, "explore"):
            return self._area(message, status, hurt, potions)
        if message.text.startswith("📜 Quest board"):
            return self._quests(message)
        if message.text.startswith("🛒 Shop"):
            return self._shop(message, status, potions)
        if _find(message, "inn"):
            return self._town(message, status, hurt, potions)
        return _find(message, "town") or message.buttons[-1]

    def _remember(self, text: str) -> None:
        for line in text.splitlines():
            if line.startswith("👑 Bosses defeated:"):
                names = line.split(":", 1)[1]
                self.bosses_beaten |= {n.strip() for n in names.split(",") if n.strip() != "none"}

    def _fight(self, message: ChatMessage, hurt: float, potions: int) -> InlineButton:
        boss = "Boss fight" in message.text
        if hurt < (0.45 if boss else 0.4) and potions:
            return _find(message, "potion")  # type: ignore[return-value]
        if hurt < 0.25 and not boss:
            return _find(message, "flee")  # type: ignore[return-value]
        return _find(message, "attack")  # type: ignore[return-value]

    def _target_area(self, level: int) -> str:
        if level >= _BOSS_LEVEL and "Goblin King" not in self.bosses_beaten:
            return "Forest"
        if level >= 6:
            return "Peak"
        return "Caves" if level >= 4 else "Forest"

    def _area(self, message: ChatMessage, status: dict, hurt: float, potions: int) -> InlineButton:
        here = message.text.split("—", 1)[0]
        boss = next(
            (b for b in message.buttons if b.row == 1 and "🔒" not in b.text and "Potion" not in b.text),
            None,
        )
        if hurt < 0.5:
            if potions > 2 and _find(message, "potion"):
                return _find(message, "potion")  # type: ignore[return-value]
            return _find(message, "town")  # type: ignore[return-value]
        if boss and "Town" not in boss.text and status["level"] >= _BOSS_LEVEL:
            if hurt >= 0.9 and potions >= 2:
                return boss
            # Not ready: heal or stock up in town if we can pay for it, else earn gold here.
            reserve = _inn_cost(status["level"])
            if (hurt < 0.9 and status["gold"] >= reserve) or status["gold"] >= reserve + 8:
                return _find(message, "town")  # type: ignore[return-value]
            return _find(message, "explore")  # type: ignore[return-value]
        if self._target_area(status["level"]) not in here:
            return _find(message, "town")  # type: ignore[return-value]
        return _find(message, "explore")  # type: ignore[return-value]

    def _town(self, message: ChatMessage, status: dict, hurt: float, potions: int) -> InlineButton:
        inn = _find(message, "inn")
        assert inn is not None
        reserve = _price(inn)
        if hurt < 0.9 and status["gold"] >= reserve:
            return inn
        if self.quests_open is None or self.quests_open > 0:
            return _find(message, "quests")  # type: ignore[return-value]
        if self._wants_shop(status["gold"] - reserve, potions):
            return _find(message, "shop")  # type: ignore[return-value]
        target = _find(message, self._target_area(status["level"]))
        return target or _find(message, "forest")  # type: ignore[return-value]

    def _wants_shop(self, spare: int, potions: int) -> bool:
        if potions < _POTIONS_WANTED and spare >= 8:
            return True
        if self.gear_prices is None:
            return spare >= 25
        return any(price <= spare for price in self.gear_prices)

    def _shop(self, message: ChatMessage, status: dict, potions: int) -> InlineButton:
        gear = [b for b in message.buttons if _price(b) and "Potion" not in b.text]
        self.gear_prices = [_price(b) for b in gear]
        spare = status["gold"] - _inn_cost(status["level"])  # keep a night at the inn
        affordable = [b for b in gear if _price(b) <= spare]
        if affordable:
            # Weapons first: killing faster is also the best defence.
            return max(affordable, key=lambda b: ("Sword" in b.text, _price(b)))
        potion = _find(message, "potion")
        if potion and potions < _POTIONS_WANTED and _price(potion) <= spare:
            return potion
        return _find(message, "town")  # type: ignore[return-value]

    def _quests(self, message: ChatMessage) -> InlineButton:
        open_quests = [b for b in message.buttons if b.text.startswith("📜")]
        self.quests_open = max(0, len(open_quests) - 1)
        return open_quests[0] if open_quests else _find(message, "town")  # type: ignore[return-value]
