"""The Telethon adapter: bounded network calls, the update log with edits, button presses."""

from __future__ import annotations

import pytest
from telethon import errors
from telethon.tl import types

from neuronaut.servers.chat_contract import NoUpdate, Update
from neuronaut.servers.rpg.chat import ChatError, SimulatedChat
from neuronaut.servers.telegram.client import TelegramAdapter, TelegramUnavailable
from neuronaut.servers.telegram.standin import HANG, StandinTelegram
from tests.unit.servers.telegram.telegram_testkit import ALICE_ID, GAME, TRICKSTER_ID, SleepRecorder


def flood(seconds: int) -> errors.FloodWaitError:
    return errors.FloodWaitError(request=None, capture=seconds)


async def started(adapter: TelegramAdapter, net: StandinTelegram):
    sent = await adapter.send_message(GAME, "/start")
    await net.pump()  # let the bot's answer arrive, as Telegram would push it
    return sent


# --- flood waits ---------------------------------------------------------------------


async def test_short_flood_wait_is_slept_off_then_retried(
    adapter: TelegramAdapter, net: StandinTelegram, sleeps: SleepRecorder
) -> None:
    net.faults.append(flood(5))
    chats = await adapter.list_chats()
    assert sleeps.calls == [5.0]
    assert GAME in {c.id for c in chats}


async def test_flood_wait_over_the_cap_is_an_error_without_waiting(
    adapter: TelegramAdapter, net: StandinTelegram, sleeps: SleepRecorder
) -> None:
    net.faults.append(flood(3600))
    with pytest.raises(TelegramUnavailable, match="wait 3600s"):
        await adapter.list_chats()
    assert sleeps.calls == []


async def test_flood_waits_are_capped_in_total(
    adapter: TelegramAdapter, net: StandinTelegram, sleeps: SleepRecorder
) -> None:
    net.faults.extend([flood(40), flood(40)])  # each under the 60 s cap, together over it
    with pytest.raises(TelegramUnavailable, match="rate-limits"):
        await adapter.list_chats()
    assert sleeps.calls == [40.0]


async def test_send_is_retried_after_a_flood_wait(
    adapter: TelegramAdapter, net: StandinTelegram, sim: SimulatedChat
) -> None:
    await adapter.get_chat(GAME)
    net.faults.append(flood(2))  # Telegram refused before sending: retrying cannot duplicate
    await adapter.send_message(GAME, "/start")
    assert [m.text for m in sim.get_messages(GAME).messages if m.outgoing] == ["/start"]


# --- timeouts and connections ----------------------------------------------------------


async def test_a_request_that_never_answers_times_out(net: StandinTelegram) -> None:
    adapter = TelegramAdapter(net, call_timeout=0.01)
    await adapter.start()
    net.faults.append(HANG)
    with pytest.raises(TelegramUnavailable, match="did not answer list_chats"):
        await adapter.list_chats()


async def test_disconnected_client_is_reconnected_before_a_call(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    await net.disconnect()
    await adapter.list_chats()
    assert net.is_connected() and net.connects == 2


async def test_read_is_retried_once_after_the_connection_drops(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    net.faults.append(ConnectionError("reset by peer"))
    chats = await adapter.list_chats()
    assert GAME in {c.id for c in chats}
    assert net.connects == 2


async def test_send_is_not_retried_after_the_connection_drops(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    await adapter.get_chat(ALICE_ID)
    net.faults.append(ConnectionError("reset by peer"))
    with pytest.raises(TelegramUnavailable, match="may still have happened"):
        await adapter.send_message(ALICE_ID, "hello")
    assert "send_message" not in net.requests


# --- the update log --------------------------------------------------------------------


async def test_press_reaction_that_edits_the_message_is_seen(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    await started(adapter, net)
    pressed = await adapter.press_inline_button(GAME, button_index=0)
    await net.pump()
    update = await adapter.wait_for_update(GAME, pressed.last_update_id, timeout_seconds=0)
    assert isinstance(update, Update)
    assert update.kind == "edited" and update.message.id == pressed.message_id
    assert update.message.edit_date is not None


async def test_edit_by_another_user_is_an_update(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    original = await net.receive(ALICE_ID, "meet at 5")
    after = adapter.updates.last_update_id
    await net.edit(ALICE_ID, original.id, "meet at 6")
    update = await adapter.wait_for_update(ALICE_ID, after, timeout_seconds=0)
    assert (update.kind, update.message.id, update.message.text) == ("edited", original.id, "meet at 6")


async def test_wait_without_after_id_returns_the_first_reaction_to_our_send(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    await started(adapter, net)
    update = await adapter.wait_for_update(GAME, None, timeout_seconds=0)
    assert update.kind == "new" and not update.message.outgoing and update.message.buttons


async def test_our_own_message_is_not_an_update(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    await adapter.send_message(TRICKSTER_ID, "/status")  # a bot that never answers
    update = await adapter.wait_for_update(TRICKSTER_ID, 0, timeout_seconds=0)
    assert isinstance(update, NoUpdate) and update.last_update_id == adapter.updates.last_update_id


async def test_send_result_points_just_before_the_bot_answer(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    sent = await started(adapter, net)
    update = await adapter.wait_for_update(GAME, sent.last_update_id, timeout_seconds=0)
    assert update.update_id == sent.last_update_id + 1 and not update.message.outgoing


async def test_updates_in_other_chats_are_not_returned(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    after = adapter.updates.last_update_id
    await net.receive(ALICE_ID, "hi")
    assert isinstance(await adapter.wait_for_update(GAME, after, timeout_seconds=0), NoUpdate)


# --- buttons -------------------------------------------------------------------------------


async def test_press_returns_the_bot_toast(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    await started(adapter, net)
    pressed = await adapter.press_inline_button(GAME, button_text="forest")
    assert pressed.button.text == "🌲 Forest" and pressed.callback_answer


async def test_press_on_an_outdated_message_is_refused(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    await started(adapter, net)
    await adapter.send_message(GAME, "/start")  # a new screen; the old one loses its keyboard
    with pytest.raises(ChatError, match="has no inline buttons"):
        await adapter.press_inline_button(GAME, message_id=2, button_index=0)


async def test_bot_that_gives_no_toast_is_a_press_without_answer(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    await started(adapter, net)
    net.silent_bot = True
    pressed = await adapter.press_inline_button(GAME, button_index=0)
    assert pressed.callback_answer is None and pressed.alert is False
    await net.pump()
    assert (await adapter.wait_for_update(GAME, pressed.last_update_id, timeout_seconds=0)).kind == "edited"


async def test_url_button_is_not_pressed(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    url = types.KeyboardInlineButton(text="Claim prize", type=types.InlineButtonTypeUrl(url="https://example.com"))
    markup = types.ReplyInlineMarkup(rows=[types.KeyboardInlineButtonRow(buttons=[url])])
    await net.receive(TRICKSTER_ID, "You won!", reply_markup=markup)
    with pytest.raises(ChatError, match="Url button"):
        await adapter.press_inline_button(TRICKSTER_ID, button_index=0)
    assert "GetBotCallbackAnswerRequest" not in net.requests


async def test_empty_message_is_refused_before_reaching_telegram(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    with pytest.raises(ChatError, match="empty"):
        await adapter.send_message(GAME, "  ")
    assert "send_message" not in net.requests


async def test_unreachable_telegram_is_named_even_without_an_error_message(
    adapter: TelegramAdapter, net: StandinTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse() -> None:
        raise ConnectionError()  # Telethon's often carry no text

    await net.disconnect()
    monkeypatch.setattr(net, "connect", refuse)
    with pytest.raises(TelegramUnavailable, match="cannot reach Telegram: ConnectionError"):
        await adapter.list_chats()


# --- finding chats ---------------------------------------------------------------------------


async def test_chat_can_be_named_by_its_title(adapter: TelegramAdapter) -> None:
    assert (await adapter.get_chat("Dungeon Quest")).id == GAME


async def test_username_is_resolved_once(adapter: TelegramAdapter, net: StandinTelegram) -> None:
    await adapter.get_chat("@alice")
    await adapter.get_chat("ALICE")
    assert net.requests.count("get_entity") == 1


async def test_chat_id_a_fresh_session_never_saw_is_found_through_the_dialogs(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    assert (await adapter.get_chat(ALICE_ID)).title == "Alice"
    assert net.requests[-2:] == ["get_entity", "get_dialogs"]


# --- updates that overtake the answer to the act that caused them ------------------------------


async def test_edit_pushed_before_the_press_answer_is_still_seen(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    await started(adapter, net)
    net.updates_first = True
    pressed = await adapter.press_inline_button(GAME, button_index=0)
    update = await adapter.wait_for_update(GAME, pressed.last_update_id, timeout_seconds=0)
    assert update.kind == "edited" and update.message.id == pressed.message_id


async def test_reply_pushed_before_the_send_answer_is_still_seen(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    net.updates_first = True
    sent = await adapter.send_message(GAME, "/start")
    update = await adapter.wait_for_update(GAME, sent.last_update_id, timeout_seconds=0)
    assert update.kind == "new" and update.message.buttons


async def test_wait_without_after_id_sees_an_edit_that_overtook_the_press_answer(
    adapter: TelegramAdapter, net: StandinTelegram
) -> None:
    await started(adapter, net)
    net.updates_first = True
    pressed = await adapter.press_inline_button(GAME, button_index=0)
    update = await adapter.wait_for_update(GAME, None, timeout_seconds=0)
    assert update.kind == "edited" and update.message.id == pressed.message_id
