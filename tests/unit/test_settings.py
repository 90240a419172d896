from pathlib import Path

import pytest

from neuronaut.errors import UserError
from neuronaut.settings import Settings


def test_home_from_environment_holds_all_runtime_data(tmp_path: Path) -> None:
    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path)})
    for folder in (settings.checkpoints_dir, settings.skills_dir, settings.memory_dir, settings.models_dir):
        assert folder.is_relative_to(tmp_path)


def test_environment_overrides_file(tmp_path: Path) -> None:
    (tmp_path / "neuronaut.toml").write_text('[neuronaut]\nmax_steps = 5\nmodel = "smollm2-135m"\n')
    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_MAX_STEPS": "9"})
    assert settings.max_steps == 9
    assert settings.model == "smollm2-135m"


def test_explicit_overrides_win(tmp_path: Path) -> None:
    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_MAX_STEPS": "9"}, max_steps=3)
    assert settings.max_steps == 3


def test_invalid_value_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="max_steps"):
        Settings.load(env={"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_MAX_STEPS": "zero"})


def test_broken_settings_file_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "neuronaut.toml").write_text("max_steps = = 3")
    with pytest.raises(UserError, match="cannot read settings file"):
        Settings.load(env={"NEURONAUT_HOME": str(tmp_path)})


def test_list_fields_split_on_commas(tmp_path: Path) -> None:
    env = {"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_TELEGRAM_ALLOWED_CHATS": "@game_bot, 12345"}
    assert Settings.load(env=env).telegram_allowed_chats == ["@game_bot", "12345"]
