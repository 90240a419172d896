"""The update log numbers what changed, once, and finds the next update for a chat."""

from __future__ import annotations

import asyncio

from neuronaut.servers.chat_contract import ChatMessage
from neuronaut.servers.telegram.updates import UpdateLog


def msg(message_id: int = 1, text: str = "hi", *, chat_id: int = 5, outgoing: bool = False) -> ChatMessage:
    return ChatMessage(id=message_id, chat_id=chat_id, sender="x", outgoing=outgoing, text=text, date="2025-01-01")


def test_updates_are_numbered_in_arrival_order() -> None:
    log = UpdateLog()
    ids = [log.record("new", msg(1)).update_id, log.record("edited", msg(1, "hey")).update_id]
    assert ids == [1, 2] and log.last_update_id == 2


def test_edit_that_changes_nothing_is_not_logged() -> None:
    # Telegram sends edit updates for reactions and view counters too.
    log = UpdateLog()
    log.record("new", msg(1))
    assert log.record("edited", msg(1)) is None and log.last_update_id == 1


def test_the_same_new_message_twice_is_logged_once() -> None:
    log = UpdateLog()
    log.record("new", msg(1, outgoing=True))
    assert log.record("new", msg(1, outgoing=True)) is None


def test_edit_of_a_message_never_seen_is_logged() -> None:
    assert UpdateLog().record("edited", msg(9, "old message, new text")).kind == "edited"


def test_next_after_skips_other_chats_and_our_own_messages() -> None:
    log = UpdateLog()
    log.record("new", msg(1, chat_id=6))
    log.record("new", msg(2, outgoing=True))
    log.record("new", msg(3))
    assert log.next_after(5, 0).message.id == 3


async def test_wait_wakes_when_an_update_is_recorded_meanwhile() -> None:
    log = UpdateLog()
    waiter = asyncio.create_task(log.wait(5, 0, timeout_seconds=30))
    await asyncio.sleep(0)  # the waiter is now blocked on the log
    log.record("new", msg(4))
    assert (await waiter).message.id == 4


def test_oldest_updates_fall_out_of_a_full_log() -> None:
    log = UpdateLog(max_updates=2)
    for message_id in (1, 2, 3):
        log.record("new", msg(message_id))
    assert log.next_after(5, 0).message.id == 2


def test_watermark_is_our_own_message_when_it_came_first() -> None:
    log = UpdateLog()
    own = log.record("new", msg(1, outgoing=True))
    log.record("new", msg(2))
    assert log.watermark_after_own(5, 0, message_id=1) == own.update_id


def test_watermark_does_not_skip_a_reply_that_overtook_our_message() -> None:
    log = UpdateLog()
    reply = log.record("new", msg(2))
    log.record("new", msg(1, outgoing=True))
    assert log.watermark_after_own(5, 0, message_id=1) == reply.update_id - 1
