"""Log in to Telegram once, interactively, and return a Telethon StringSession.

The server never asks for a phone number or a code: it needs a session made
beforehand, by ``neuronaut telegram login``, which calls :func:`login_interactive`
and stores the string as ``telegram_session``. The string is a full credential
for the account; whoever stores it must keep it private.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
from collections.abc import Callable
from typing import Any

from telethon import errors

from neuronaut.errors import UserError

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # wrong codes or passwords before giving up


def _telethon_client(api_id: int, api_hash: str) -> Any:
    from telethon import TelegramClient
    from telethon.sessions import StringSession

    return TelegramClient(StringSession(), api_id, api_hash)


async def _ask(fn: Callable[[str], str], prompt: str) -> str:
    # input() blocks; in a thread, Telethon's connection keeps being served meanwhile.
    return (await asyncio.to_thread(fn, prompt)).strip()


async def login_interactive(
    api_id: int,
    api_hash: str,
    *,
    input_fn: Callable[[str], str] = input,
    password_fn: Callable[[str], str] | None = None,
    client_factory: Callable[[int, str], Any] = _telethon_client,
) -> str:
    """Ask for the phone, the login code and (if set) the 2FA password; return the session string.

    ``password_fn`` defaults to ``getpass`` when reading from the terminal, so the
    password is not echoed. Problems a person must fix raise ``UserError``.
    """
    if password_fn is None:
        password_fn = getpass.getpass if input_fn is input else input_fn
    client = client_factory(api_id, api_hash)
    await client.connect()
    try:
        phone = await _ask(input_fn, "Phone number (international format, e.g. +4915112345678): ")
        await _send_code(client, phone)
        await _enter_code(client, phone, input_fn, password_fn)
        session = client.session.save()
    finally:
        await client.disconnect()
    if not session:
        raise UserError("Telegram login did not produce a session; try again")
    logger.info("Telegram login succeeded")
    return session


async def _send_code(client: Any, phone: str) -> None:
    try:
        await client.send_code_request(phone)
    except errors.PhoneNumberInvalidError:
        raise UserError(f"Telegram says {phone!r} is not a valid phone number") from None
    except errors.FloodError as exc:
        raise UserError(f"Telegram asks to wait {getattr(exc, 'seconds', '?')}s before logging in again") from None
    except errors.ApiIdInvalidError:
        raise UserError("telegram_api_id / telegram_api_hash are wrong (see https://my.telegram.org)") from None


async def _enter_code(client: Any, phone: str, input_fn, password_fn) -> None:
    prompt = "Login code (Telegram sent it to your app): "
    for _ in range(MAX_ATTEMPTS):
        code = await _ask(input_fn, prompt)
        try:
            await client.sign_in(phone=phone, code=code)
            return
        except errors.PhoneCodeInvalidError:
            prompt = "That code is wrong; login code: "
        except errors.PhoneCodeExpiredError:
            raise UserError("the login code expired; run the login again") from None
        except errors.SessionPasswordNeededError:
            await _enter_password(client, password_fn)
            return
    raise UserError(f"{MAX_ATTEMPTS} wrong login codes; run the login again")


async def _enter_password(client: Any, password_fn) -> None:
    prompt = "Two-step verification password: "
    for _ in range(MAX_ATTEMPTS):
        password = await asyncio.to_thread(password_fn, prompt)  # not stripped: spaces may count
        try:
            await client.sign_in(password=password)
            return
        except errors.PasswordHashInvalidError:
            prompt = "That password is wrong; two-step verification password: "
    raise UserError(f"{MAX_ATTEMPTS} wrong passwords; run the login again")
