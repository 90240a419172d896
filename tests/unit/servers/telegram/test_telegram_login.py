"""The interactive login: phone, code, optional 2FA password, a StringSession back."""

from __future__ import annotations

import pytest
from telethon import errors
from telethon.crypto import AuthKey
from telethon.sessions import StringSession

from neuronaut.errors import UserError
from neuronaut.servers.telegram.login import login_interactive

PHONE = "+15550001234"
CODE = "24680"
KEY = bytes(range(256))


class TelegramLoginSide:
    """Telegram's answers during a login, with a real StringSession that gets a key on success."""

    def __init__(self, *, password: str | None = None) -> None:
        self.password = password
        self.session = StringSession()
        self.connected = False
        self.codes_tried: list[str] = []

    def __call__(self, api_id: int, api_hash: str) -> TelegramLoginSide:
        self.api = (api_id, api_hash)
        return self

    async def connect(self) -> None:
        self.connected = True

    async def disconnect(self) -> None:
        self.connected = False

    async def send_code_request(self, phone: str) -> None:
        if phone != PHONE:
            raise errors.PhoneNumberInvalidError(request=None)

    async def sign_in(self, phone: str | None = None, code: str | None = None, *, password: str | None = None) -> None:
        if password is None:
            self.codes_tried.append(code)
            if code != CODE:
                raise errors.PhoneCodeInvalidError(request=None)
            if self.password is not None:
                raise errors.SessionPasswordNeededError(request=None)
        elif password != self.password:
            raise errors.PasswordHashInvalidError(request=None)
        self.session.set_dc(2, "149.154.167.51", 443)
        self.session.auth_key = AuthKey(KEY)


def answers(*lines: str):
    queue = list(lines)
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return queue.pop(0)

    ask.prompts = prompts
    return ask


async def test_phone_and_code_give_a_working_session_string() -> None:
    telegram = TelegramLoginSide()
    session = await login_interactive(1, "hash", input_fn=answers(PHONE, CODE), client_factory=telegram)
    restored = StringSession(session)
    assert (restored.dc_id, restored.auth_key.key) == (2, KEY)


async def test_the_connection_is_closed_afterwards() -> None:
    telegram = TelegramLoginSide()
    await login_interactive(1, "hash", input_fn=answers(PHONE, CODE), client_factory=telegram)
    assert telegram.connected is False


async def test_two_step_password_is_asked_with_the_password_prompt() -> None:
    telegram = TelegramLoginSide(password="correct horse")
    secret = answers("correct horse")
    session = await login_interactive(
        1, "hash", input_fn=answers(PHONE, CODE), password_fn=secret, client_factory=telegram
    )
    assert StringSession(session).auth_key.key == KEY
    assert "password" in secret.prompts[0]


async def test_a_wrong_code_can_be_retyped() -> None:
    telegram = TelegramLoginSide()
    await login_interactive(1, "hash", input_fn=answers(PHONE, "11111", CODE), client_factory=telegram)
    assert telegram.codes_tried == ["11111", CODE]


async def test_three_wrong_codes_end_the_login() -> None:
    with pytest.raises(UserError, match="wrong login codes"):
        await login_interactive(1, "hash", input_fn=answers(PHONE, "1", "2", "3"), client_factory=TelegramLoginSide())


async def test_three_wrong_passwords_end_the_login() -> None:
    telegram = TelegramLoginSide(password="right")
    with pytest.raises(UserError, match="wrong passwords"):
        await login_interactive(
            1, "hash", input_fn=answers(PHONE, CODE), password_fn=answers("a", "b", "c"), client_factory=telegram
        )


async def test_invalid_phone_number_is_a_user_error() -> None:
    with pytest.raises(UserError, match="not a valid phone number"):
        await login_interactive(1, "hash", input_fn=answers("12"), client_factory=TelegramLoginSide())
