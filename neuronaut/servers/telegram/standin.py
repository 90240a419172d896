"""A stand-in for Telegram's network, with a ``SimulatedChat`` as the bot behind it.

``StandinTelegram`` has the part of ``TelegramClient``'s interface that
:class:`.client.TelegramAdapter` uses, and answers with real Telethon TL
objects that went through the wire format (:mod:`.standin_tl`): messages with
``ReplyInlineMarkup`` keyboards whose buttons carry the simulator's callback
data as bytes, edits with ``edit_date``, ``BotCallbackAnswer`` toasts, and
``UpdateNewMessage`` / ``UpdateEditMessage`` pushed through Telethon's own
event builders. Everything above the network (adapter, policy, sanitiser, MCP
server) is the real code, so the benchmark can run the Telegram server offline.

Like Telegram, it delivers updates after answering the request that caused
them (as a separate task), or before it with ``updates_first`` (the race the
adapter must survive), and only updates that happen after connecting.
Plain users (``add_user``) live here too, to test what the agent must not do
to other chats; ``faults`` injects flood waits, drops and hangs into the next
requests, and ``silent_bot`` makes the bot skip its callback answers.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from datetime import UTC, datetime
from typing import Any

from telethon import errors, utils
from telethon._updates import EntityCache
from telethon.tl import custom, functions, types

from neuronaut.servers.chat_contract import MAX_TEXT_CHARS, ChatMessage
from neuronaut.servers.rpg.chat import ChatError, SimulatedChat
from neuronaut.servers.telegram import standin_tl as tl

logger = logging.getLogger(__name__)

SELF_ID = 100000001
HANG = "hang"  # a fault that never answers


class StandinTelegram:
    def __init__(self, chat: SimulatedChat, *, self_name: str = "NeuroNaut") -> None:
        self.sim = chat
        self.me = tl.user(SELF_ID, self_name, is_self=True)
        self.bot = tl.user(chat.CHAT_ID, chat.TITLE, chat.USERNAME.lstrip("@"), bot=True)
        self.users: dict[int, Any] = {self.bot.id: self.bot}
        self.local: dict[int, list[Any]] = {}  # messages of plain-user chats, oldest first
        self._mb_entity_cache = EntityCache()  # what Telethon's Message._finish_init reads
        self._mb_entity_cache.set_self_user(SELF_ID, False, self.me.access_hash)
        self._mb_entity_cache.extend([self.bot], [])
        self._seen_ids: set[int] = set()  # users whose access hash this session has seen
        self._event_builders: list[tuple[Any, Any]] = []
        self.faults: list[BaseException | str] = []  # raised (or hung on) by the next requests
        self.requests: list[str] = []  # names of the requests served, for tests
        self.silent_bot = False  # True: the bot acts on presses but answers no callback query
        self.updates_first = False  # True: push an act's updates before answering it (a race)
        self.connected = False
        self.connects = 0
        self._pts = 0
        self._seen_update = chat.last_update_id  # Telegram does not replay the past
        self._pumping: set[asyncio.Task] = set()

    @property
    def _self_id(self) -> int:
        return SELF_ID

    # --- connection ---------------------------------------------------------

    def is_connected(self) -> bool:
        return self.connected

    async def connect(self) -> None:
        self.connected = True
        self.connects += 1

    async def disconnect(self) -> None:
        self.connected = False

    async def _network(self, name: str) -> None:
        """Every request passes here: the connection check and any injected fault."""
        if not self.connected:
            raise ConnectionError("Cannot send requests while disconnected")  # Telethon's wording
        if self.faults:
            fault = self.faults.pop(0)
            if fault == HANG:
                await asyncio.Event().wait()
            if isinstance(fault, ConnectionError):
                self.connected = False  # a dropped connection stays dropped
            raise fault
        self.requests.append(name)

    # --- other people -----------------------------------------------------------

    def add_user(self, user_id: int, first_name: str, username: str | None = None, *, bot: bool = False) -> Any:
        user = tl.user(user_id, first_name, username, bot=bot)
        self.users[user_id] = user
        self.local[user_id] = []
        self._mb_entity_cache.extend([user], [])
        return user

    async def receive(self, user_id: int, text: str, reply_markup: Any = None) -> Any:
        """A plain user (or a bot that is not the simulator) writes to us."""
        msg = self._local_message(user_id, text, outgoing=False, reply_markup=reply_markup)
        self._seen_ids.add(user_id)  # updates carry their senders
        await self._dispatch(tl.new_message_update(msg, self._next_pts()))
        return msg

    async def edit(self, user_id: int, message_id: int, text: str) -> Any:
        """A plain user edits one of their messages."""
        history = self.local[user_id]
        index = next(i for i, m in enumerate(history) if m.id == message_id)
        old = history[index]
        history[index] = tl.message(
            message_id=old.id,
            peer_user_id=user_id,
            self_id=SELF_ID,
            text=text,
            date=old.date,
            outgoing=old.out,
            edit_date=datetime.now(UTC).replace(microsecond=0),
            reply_markup=old.reply_markup,
        )
        await self._dispatch(tl.edit_message_update(history[index], self._next_pts()))
        return history[index]

    def sent_to(self, user_id: int) -> list[str]:
        return [m.message for m in self._history(user_id) if m.out]

    def _local_message(self, user_id: int, text: str, *, outgoing: bool, reply_markup: Any = None) -> Any:
        history = self.local[user_id]
        msg = tl.message(
            message_id=len(history) + 1,
            peer_user_id=user_id,
            self_id=SELF_ID,
            text=text,
            date=datetime.now(UTC).replace(microsecond=0),
            outgoing=outgoing,
            reply_markup=reply_markup,
        )
        history.append(msg)
        return msg

    # --- TelegramClient's interface -----------------------------------------------

    async def get_entity(self, key: int | str) -> Any:
        await self._network("get_entity")
        if isinstance(key, int) and key not in self._seen_ids:
            # A fresh StringSession knows no access hashes: ids resolve only once seen.
            raise ValueError(f"Could not find the input entity for PeerUser(user_id={key})")
        user = self._lookup(key)
        self._seen_ids.add(user.id)  # resolving a username returns the access hash
        return user

    async def get_input_entity(self, key: Any) -> Any:
        if isinstance(key, types.User):
            return utils.get_input_peer(key)
        return utils.get_input_peer(self._lookup(key))

    def _lookup(self, key: Any) -> Any:
        if isinstance(key, types.InputPeerUser):
            key = key.user_id
        if isinstance(key, int) and key in self.users:
            return self.users[key]
        if isinstance(key, str):
            wanted = key.lstrip("@").casefold()
            for user in self.users.values():
                if (user.username or "").casefold() == wanted:
                    return user
            raise ValueError(f'No user has "{wanted}" as username')  # Telethon's wording
        raise ValueError(f"Could not find the input entity for {key!r}")

    async def get_dialogs(self, limit: int | None = None) -> list[Any]:
        await self._network("get_dialogs")
        entities = {utils.get_peer_id(u): u for u in self.users.values()}
        self._seen_ids.update(self.users)
        dialogs = []
        for user in self.users.values():
            history = self._history(user.id)
            top = history[-1] if history else None
            unread = sum(1 for m in history if not m.out) if user.id != self.bot.id else self._sim_unread()
            raw = tl.dialog(user.id, top.id if top else 0, unread)
            dialogs.append(custom.Dialog(self, raw, entities, top))
        return dialogs[:limit] if limit else dialogs

    async def get_messages(self, entity: Any, limit: int | None = None, ids: int | None = None) -> Any:
        await self._network("get_messages")
        user = self._lookup(utils.get_peer_id(entity))
        history = self._history(user.id)
        if ids is not None:
            found = next((m for m in history if m.id == ids), None)
            return self._finish(found) if found else None
        newest_first = list(reversed(history))[: limit or 1]
        return [self._finish(m) for m in newest_first]

    async def send_message(self, entity: Any, message: str) -> Any:
        await self._network("send_message")
        user = self._lookup(utils.get_peer_id(entity))
        if len(message) > MAX_TEXT_CHARS:
            raise errors.MessageTooLongError(request=None)
        if user.id != self.bot.id:
            return self._finish(self._local_message(user.id, message, outgoing=True))
        sent = self.sim.send_message(self.sim.CHAT_ID, message).message
        await self._after_act()
        return self._finish(self._to_tl(sent))

    async def __call__(self, request: Any) -> Any:
        if not isinstance(request, functions.messages.GetBotCallbackAnswerRequest):
            raise NotImplementedError(f"the stand-in does not serve {type(request).__name__}")
        await request.resolve(self, utils)  # as TelegramClient does: entities become input peers
        request = tl.over_the_wire(request)
        await self._network("GetBotCallbackAnswerRequest")
        if request.peer.user_id != self.bot.id:
            raise errors.BotResponseTimeoutError(request=request)  # a plain user never answers
        try:
            pressed = self.sim.press_callback_data(request.msg_id, request.data)
        except ChatError:
            raise errors.DataInvalidError(request=request) from None
        await self._after_act()
        if self.silent_bot:
            # The bot got the press but never answered the callback query.
            raise errors.BotResponseTimeoutError(request=request)
        return tl.callback_answer(pressed.callback_answer, pressed.alert)

    def add_event_handler(self, callback: Any, event: Any) -> None:
        self._event_builders.append((event() if isinstance(event, type) else event, callback))

    # --- the simulator behind the network ---------------------------------------------

    def _history(self, user_id: int) -> list[Any]:
        if user_id != self.bot.id:
            return self.local[user_id]
        return [self._to_tl(m) for m in self.sim.get_messages(self.sim.CHAT_ID, 10_000).messages]

    def _sim_unread(self) -> int:
        return self.sim.list_chats().chats[0].unread_count

    def _callback_data(self, message_id: int, index: int) -> bytes:
        try:
            return self.sim.button_callback_data(message_id, index)
        except ChatError:
            # An old snapshot of a keyboard the bot has since removed; pressing it fails.
            return f"stale:{message_id}:{index}".encode()

    def _to_tl(self, message: ChatMessage) -> Any:
        return tl.from_chat_message(message, self.bot.id, SELF_ID, self._callback_data)

    def _finish(self, message: Any) -> Any:
        # What TelegramClient does to every message it returns: attach entities.
        entities = {utils.get_peer_id(u): u for u in (*self.users.values(), self.me)}
        message._finish_init(self, entities, None)
        return message

    def _next_pts(self) -> int:
        self._pts += 1
        return self._pts

    async def _after_act(self) -> None:
        if self.updates_first:
            await self.pump()
        else:
            self._schedule_pump()

    def _schedule_pump(self) -> None:
        task = asyncio.get_running_loop().create_task(self.pump())
        self._pumping.add(task)
        task.add_done_callback(self._pumping.discard)

    async def pump(self) -> None:
        """Push the simulator's new updates to the event handlers, in order."""
        for update in self.sim.updates_after(self._seen_update):
            self._seen_update = update.update_id
            msg = self._to_tl(update.message)
            build = tl.new_message_update if update.kind == "new" else tl.edit_message_update
            await self._dispatch(build(msg, self._next_pts()))

    async def _dispatch(self, update: Any) -> None:
        """What TelegramClient._dispatch_update does for each registered handler."""
        logger.debug("pushing %s", type(update).__name__)
        update._entities = {utils.get_peer_id(u): u for u in (*self.users.values(), self.me)}
        for builder, callback in self._event_builders:
            event = builder.build(update, None, SELF_ID)
            if not event:
                continue
            event.original_update = update
            event._entities = update._entities
            event._set_client(self)
            if not builder.resolved:
                await builder.resolve(self)
            passed = builder.filter(event)
            if inspect.isawaitable(passed):
                passed = await passed
            if passed:
                await callback(event)
