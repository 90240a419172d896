"""Goals in the game's own words: a quantity, a target and a comparison, whatever the game calls them.

"reach level 2", "reach rank Captain", "earn 100 coins", "have at least 30 gold", "gold >= 50",
"defeat the Dragon": no list of goal kinds, only the shapes a goal about one of the player's numbers or names
takes. Which of the game's quantities a goal's word means is the world's business (``world.py``); here a
reading already keyed by the goal's quantity is judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from neuronaut.errors import UserError
from neuronaut.worlds.base import Goal

Comparison = Literal[">=", ">", "<=", "<", "==", "has"]
# A goal about something beaten is judged against whatever the game lists as beaten ("Bounties claimed: …").
DEFEATED = "defeated"

_NUMBER = r"(-?\d[\d,]*(?:\.\d+)?)"
_WORD = r"([^\W\d][\w' -]*?)"
_OPS = {">=": ">=", "=>": ">=", ">": ">", "<=": "<=", "=<": "<=", "<": "<", "=": "==", "==": "=="}
_AT_LEAST = r"(?:at least\s+|no less than\s+)?"
_MORE = r"(more than|over|above|less than|under|below|at most|no more than)?\s*"
_GAIN = r"(?:have|earn|collect|gain|get|own|hold|gather|accumulate|save|amass)"
_DEFEAT = r"(?:defeat|beat|kill|slay|destroy|vanquish|claim|overcome|win against)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "gold >= 50", "level = 3"
    (re.compile(rf"^{_WORD}\s*(>=|=>|<=|=<|==|=|>|<)\s*{_NUMBER}$"), "op"),
    # "reach level 2", "get to rank Captain", "reach 100 coins"
    (re.compile(rf"^(?:reach|get to|attain|advance to|rise to|become)\s+(?:an?\s+|the\s+)?{_NUMBER}\s+{_WORD}$"),
     "number-first"),
    (re.compile(rf"^(?:reach|get to|attain|advance to|rise to|become)\s+(?:an?\s+|the\s+)?{_WORD}\s+{_NUMBER}$"),
     "word-first"),
    (re.compile(r"^(?:reach|get to|attain|advance to|rise to|become)\s+(?:an?\s+|the\s+)?(\w+)\s+(.+)$"), "name"),
    # "earn 100 coins", "have at least 30 gold", "collect more than 5 gems"
    (re.compile(rf"^{_GAIN}\s+{_AT_LEAST}{_MORE}{_NUMBER}\s+{_WORD}$"), "gain"),
    # "defeat the Dragon", "beat the first boss"
    (re.compile(rf"^{_DEFEAT}\s+(?:the\s+)?(.+)$"), "defeat"),
]
_MORE_WORDS = {"more than": ">", "over": ">", "above": ">", "less than": "<", "under": "<", "below": "<",
               "at most": "<=", "no more than": "<="}
FORMS = ('"reach <quantity> <number or name>" (reach level 2, reach rank Captain), "earn|have|collect <number> '
         '<quantity>" (earn 100 coins), "<quantity> >= <number>", "defeat <name>"')


@dataclass(frozen=True)
class GameGoal(Goal):
    quantity: str = ""  # the goal's own word for it ("level", "gold", "rank")
    target: float | str = 0
    comparison: Comparison = ">="

    def value_in(self, progress: dict[str, Any]) -> Any:
        """The goal's quantity in a reading keyed by names, matched by normalised name; None when absent."""
        key = match_name(self.quantity, list(progress))
        return None if key is None else progress[key]

    def holds(self, progress: dict[str, Any]) -> bool | None:
        value = self.value_in(progress)
        return None if value is None else judge(self, value)

    def needs(self, progress: dict[str, Any]) -> str:
        value = self.value_in(progress)
        if value is None or judge(self, value):
            return ""
        number = as_number(value)
        if isinstance(self.target, float) and number is not None and self.comparison in (">=", ">"):
            return f"{_plain(self.target - number + (self.comparison == '>'))} more {self.quantity}"
        return f"{self.quantity} {self.target} (now {value})"

    def distance(self, progress: dict[str, Any]) -> float | None:
        value = self.value_in(progress)
        if value is None:
            return None
        if judge(self, value):
            return 0.0
        number = as_number(value)
        if isinstance(self.target, float) and number is not None and self.comparison in (">=", ">"):
            return max(self.target - number, 0.0) + (1.0 if self.comparison == ">" else 0.0)
        return 1.0

    def partial(self, start: dict[str, Any], now: dict[str, Any]) -> str | None:
        before, after = as_number(self.value_in(start)), as_number(self.value_in(now))
        if (self.comparison == ">=" and isinstance(self.target, float) and before is not None
                and after is not None and before < after < self.target):
            return f"{self.quantity} >= {_plain(after)}"
        return None


def parse_goal(text: str) -> GameGoal:
    """``text`` as a goal about one quantity; ``UserError`` naming the forms when it is none of them."""
    clean = " ".join(text.strip().rstrip(".!").split())
    lowered = clean.casefold()
    for pattern, shape in _PATTERNS:
        found = pattern.match(lowered)
        if found is None:
            continue
        original = clean[found.start(found.lastindex or 0):found.end(found.lastindex or 0)]  # a name keeps its case
        return _goal(clean, shape, found.groups(), original)
    raise UserError(f"cannot read the goal {text!r} as a goal about the game's numbers; say it as {FORMS}")


def _goal(text: str, shape: str, groups: tuple[str, ...], original: str) -> GameGoal:
    if shape == "op":
        word, op, number = groups
        return GameGoal(text, kind=_kind(word), quantity=word.strip(), target=_number(number), comparison=_OPS[op])
    if shape == "number-first":
        number, word = groups
        return GameGoal(text, kind=_kind(word), quantity=word.strip(), target=_number(number))
    if shape == "word-first":
        word, number = groups
        return GameGoal(text, kind=_kind(word), quantity=word.strip(), target=_number(number))
    if shape == "name":
        word, _ = groups
        return GameGoal(text, kind=_kind(word), quantity=word, target=original, comparison="==")
    if shape == "gain":
        more, number, word = groups
        return GameGoal(text, kind=_kind(word), quantity=word.strip(), target=_number(number),
                        comparison=_MORE_WORDS.get(more or "", ">="))  # type: ignore[arg-type]
    return GameGoal(text, kind=DEFEATED, quantity=DEFEATED, target=original, comparison="has")


def judge(goal: GameGoal, value: Any) -> bool:
    """Whether ``value`` (as a reader gave it) meets the goal."""
    if goal.comparison == "has":
        items = value if isinstance(value, list) else re.split(r"[,;\n]", str(value))
        return any(normalise(str(goal.target)) == normalise(str(item)) for item in items)
    if isinstance(goal.target, str):
        return normalise(str(value)) == normalise(goal.target)
    number = as_number(value)
    if number is None:
        return False
    return {">=": number >= goal.target, ">": number > goal.target, "<=": number <= goal.target,
            "<": number < goal.target, "==": number == goal.target}[goal.comparison]


def as_number(value: Any) -> float | None:
    """A reading's value as a number: 7, "7", "1,200"; the first of "20/25" (how much of how much)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    found = re.fullmatch(r"\s*(-?\d[\d,]*(?:\.\d+)?)\s*(?:/\s*\d[\d,]*)?\s*\S{0,3}\s*", str(value))
    return float(found[1].replace(",", "")) if found else None


def normalise(name: str) -> str:
    return re.sub(r"[^\w]+", "_", name.casefold()).strip("_")


def match_name(word: str, names: list[str]) -> str | None:
    """The name among ``names`` that is ``word`` up to case, punctuation and a plural ending."""
    wanted = normalise(word)
    for name in names:
        if normalise(name) == wanted:
            return name
    for name in names:
        if normalise(name).removesuffix("s") == wanted.removesuffix("s"):
            return name
    return None


def _kind(word: str) -> str:
    return normalise(word)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
