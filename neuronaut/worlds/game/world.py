"""The game world: any bot behind an MCP server that speaks the six chat tools, played like a person would.

It knows the chat contract and nothing of any game: it observes the bot's latest screen, its buttons, what
changed and the toasts of presses; it acts only by pressing a button or sending a message, always in the one
chat it plays; and it judges goals with what it learned to read (``perception``), or leaves them to the
critic where nothing it can read measures the goal.
"""

from __future__ import annotations

from typing import Any

from neuronaut.errors import ToolServerError, UserError
from neuronaut.llm.base import DecisionModel
from neuronaut.servers import chat_contract as contract
from neuronaut.settings import McpServerConfig, Settings
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec
from neuronaut.worlds.base import Check, Goal, Observation, ToolCaller, World
from neuronaut.worlds.configured import ConfiguredServers
from neuronaut.worlds.capabilities import UsesModel
from neuronaut.worlds.game.chat import ChatView, bot_messages, buttons_of, screen_of
from neuronaut.worlds.game.goals import GameGoal, judge, parse_goal
from neuronaut.worlds.game.knowledge import KnowledgeStore
from neuronaut.worlds.game.perception import Measure, Perception
from neuronaut.worlds.game.reader import ReaderSandbox
from neuronaut.worlds.game.screen import describe, finish_action

NAME = "game"
START = "/start"  # Telegram's universal first message to a bot
DEFAULT_WAIT_S = 5.0
MAX_READ = 100  # the chat tools' largest page
_CHAT_TOOLS = (contract.PRESS_INLINE_BUTTON, contract.SEND_MESSAGE, contract.GET_MESSAGES,
               contract.LIST_INLINE_BUTTONS, contract.WAIT_FOR_UPDATE)


class BotUnresponsive(ToolServerError):
    """The bot behind the chat does not answer: there is nothing to play."""


def configured_servers(settings: Settings, names: list[str] | None) -> dict[str, McpServerConfig]:
    """The ``[servers.<name>]`` this world may play: those named, else those listing it under ``worlds``."""
    declared = settings.servers
    if names:
        unknown = [n for n in names if n not in declared]
        if unknown:
            raise UserError(f"unknown MCP server(s) {', '.join(unknown)}; declared in settings: "
                            f"{', '.join(declared) or 'none'} (add [servers.<name>] to neuronaut.toml)")
        return {n: declared[n] for n in names}
    return {n: c for n, c in declared.items() if NAME in c.worlds}


class GameWorld(UsesModel, World):
    name = NAME
    description = "a chat game bot played by pressing its inline buttons and sending it messages"
    allowed_tools = frozenset({contract.PRESS_INLINE_BUTTON, contract.SEND_MESSAGE})
    hidden_args = {contract.PRESS_INLINE_BUTTON: frozenset({"message_id", "button_index"})}
    reads_goal_first = True
    examples_prompt = "game_examples"

    def __init__(self, settings: Settings, servers: list[str] | None = None, chat: str | int | None = None,
                 wait_s: float = DEFAULT_WAIT_S) -> None:
        configs = configured_servers(settings, servers)
        if len(configs) != 1:
            found = ", ".join(configs) or "none"
            raise UserError(f"the game world plays one bot server at a time (found: {found}); name it with "
                            "--servers NAME, declared as [servers.NAME] with worlds = [\"game\"] in neuronaut.toml")
        (self.server_name, self.config), = configs.items()
        # The bot's server is the world's own (its chat fixed by the world); other servers naming the game join it.
        self.configured = ConfiguredServers.serving(settings, NAME).without({self.server_name})
        self.chat_option = chat
        self.wait_s = wait_s
        self.chat_id: int | str | None = None
        self.bot = ""
        data = settings.worlds_dir / NAME
        self.perception = Perception(None, KnowledgeStore(data / "bots"), ReaderSandbox(data / "sandbox"),
                                     self.prompt)
        self._last_screen: dict[str, Any] | None = None
        self._toast = ""
        self._last_check: Check | None = None
        self._critic = ""  # why the critic judges this run's goal, once that is known

    def bind_model(self, model: DecisionModel) -> None:
        """The model that reads screens and writes readers (the run's own)."""
        self.perception.model = model

    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        c = self.config
        return [ServerSpec(self.server_name, c.command, tuple(c.args), c.env, c.cwd, c.url, c.headers)]

    def parse_goal(self, text: str) -> GameGoal:
        return parse_goal(text)

    def fixed_args_for(self, spec: ToolSpec) -> dict[str, Any]:
        # The chat is fixed, so a "press X in another chat" written into a game's text cannot be obeyed.
        return {"chat_id": self.chat_id} if spec.name in _CHAT_TOOLS else {}

    def needs_approval(self, spec: ToolSpec) -> bool:
        return False  # pressing and writing in the game's own chat is the whole point

    def extra_actions(self) -> list[dict[str, Any]]:
        return [finish_action()] if self._critic else []

    async def run_extra(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        if name != finish_action()["name"]:
            return await super().run_extra(name, args)
        answer = str(args.get("answer", "")).strip()
        return ToolOutcome(tool=name, args=args, ok=bool(answer), text=answer or "an empty answer",
                           structured={"answer": answer})

    def summarize_outcome(self, outcome: ToolOutcome) -> str:
        structured = outcome.structured or {}
        if outcome.ok and outcome.tool == contract.PRESS_INLINE_BUTTON:
            self._toast = str(structured.get("callback_answer") or "")
            return f"pressed; the bot answered: {self._toast}" if self._toast else "pressed"
        if outcome.ok and outcome.tool == contract.SEND_MESSAGE:
            return "sent"
        return outcome.summary(160)

    # --- the chat --------------------------------------------------------------------------

    async def prepare(self, tools: ToolCaller) -> None:
        view = await self._view(tools)
        view.record = None  # the answer to /start is the game's first screen, news to the player
        messages = await view.messages()
        if not messages:
            await view.send(START)
            messages = await view.messages()
        if not bot_messages(messages):
            raise BotUnresponsive(f"the bot in chat {self.bot} has not answered {START} (waited "
                                  f"{self.wait_s:g} s): there is nothing to play")

    async def observe(self, tools: ToolCaller) -> Observation:
        view = await self._view(tools)
        messages = await self._with_screen(view)
        screen = screen_of(messages)
        text = describe(messages, screen, self._last_screen, self._toast, self.perception.own_messages)
        self._last_screen, self._toast = screen, ""
        buttons = buttons_of(screen)
        choices = {contract.PRESS_INLINE_BUTTON: {"button_text": buttons}} if buttons else {}
        return Observation(text=text, choices=choices)

    async def check(self, goal: Goal, tools: ToolCaller) -> Check:
        target = goal if isinstance(goal, GameGoal) else parse_goal(goal.text)
        view = await self._view(tools)
        perception = self.perception
        perception.load(self.bot)
        await perception.first_contact(view)
        knowledge = perception.knowledge
        assert knowledge is not None
        if knowledge.unreadable:
            return self._to_critic(knowledge.unreadable)
        text = await perception.status_text(view)
        measure = await perception.measure(text) if text else None
        key = await perception.meaning(target.text, target.quantity)
        if key is None and knowledge.names:
            shown = ", ".join(knowledge.names)
            return self._to_critic(f"nothing this bot shows measures {target.quantity!r} (it shows: {shown})")
        if measure is None or key not in measure.values:
            # Out of reach now (mid-fight, say): the last reading stands, so progress does not seem to vanish.
            last = self._last_check
            where = "its screen is out of reach" if text is None else f"no {target.quantity} read on it"
            return Check(False, f"the player's standing is not readable from here ({where}); last reading kept",
                         dict(last.progress) if last else {}, last.distance if last else None)
        self._critic = ""
        self._last_check = _verdict(target, key, measure, knowledge.ladders.get(key, []))
        return self._last_check

    async def _with_screen(self, view: ChatView) -> list[dict[str, Any]]:
        """The latest messages, reaching further back when the screen (edited in place) has scrolled up under
        newer messages; when it is out of reach even so, /start posts it again."""
        messages = await view.messages()
        if screen_of(messages) is None and bot_messages(messages):
            messages = await view.messages(MAX_READ)
            if screen_of(messages) is None and len(messages) >= MAX_READ:
                await view.send(START)
                messages = await view.messages()
        return messages

    def _to_critic(self, why: str) -> Check:
        self._critic = why
        return Check(False, f"{why}; the critic judges the final answer", critic_judges=True)

    async def _view(self, tools: ToolCaller) -> ChatView:
        if self.chat_id is None:
            self.chat_id, self.bot = await self._find_chat(tools)
            self.perception.load(self.bot)
        return ChatView(tools, self.chat_id, wait_s=self.wait_s, record=self.perception.own_messages)

    async def _find_chat(self, tools: ToolCaller) -> tuple[int | str, str]:
        outcome = await tools.call(contract.LIST_CHATS, {})
        if not outcome.ok:
            raise ToolServerError(f"the server {self.server_name!r} cannot list its chats: {outcome.error}")
        chats = list((outcome.structured or {}).get("chats", []))
        wanted = str(self.chat_option).strip() if self.chat_option is not None else None
        if wanted:
            found = [c for c in chats if wanted in (str(c.get("id")), str(c.get("username") or ""))
                     or wanted.lstrip("@").casefold() == str(c.get("username") or "").lstrip("@").casefold()]
        else:
            found = [c for c in chats if c.get("type") == "bot"]
        listed = ", ".join(f"{c.get('username') or c.get('id')} ({c.get('title')})" for c in chats) or "none"
        if len(found) != 1:
            how = f"no chat {wanted!r}" if wanted else f"{len(found)} bot chats"
            raise UserError(f"{how} on the server {self.server_name!r}; its chats: {listed}; choose one with "
                            "--chat ID|@username")
        chat = found[0]
        return chat["id"], str(chat.get("username") or chat.get("title") or chat["id"])


def _verdict(goal: GameGoal, key: str, measure: Measure, ladder: list[str]) -> Check:
    value = measure.values[key]
    progress = {**measure.values, goal.quantity: value}
    holds = judge(goal, value) or _passed(goal, value, ladder)
    shown = f"{goal.quantity} {value}"
    if measure.source != "reader":
        why = (f"the model reads {shown}, which meets the goal, but only a trusted reader decides" if holds
               else f"not yet: {shown}, by the model's reading")
        return Check(False, f"{why} ({measure.note})", progress, None if holds else goal.distance(progress))
    return Check(holds, ("goal holds: " if holds else "not yet: ") + shown, progress,
                 0.0 if holds else goal.distance(progress))


def _passed(goal: GameGoal, value: Any, ladder: list[str]) -> bool:
    """A named target the value has already gone past, by the order the names were seen (rank after rank)."""
    if not isinstance(goal.target, str) or goal.comparison != "==":
        return False
    names = [n.casefold() for n in ladder]
    wanted, now = goal.target.casefold(), str(value).casefold()
    return wanted in names and now in names and names.index(now) > names.index(wanted)
