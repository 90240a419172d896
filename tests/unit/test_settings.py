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


def test_world_sections_come_from_the_file_and_the_environment(tmp_path: Path) -> None:
    from neuronaut.worlds.rpg.settings import rpg_settings

    (tmp_path / "neuronaut.toml").write_text('[worlds.rpg]\nseed = 5\nserver = "telegram-standin"\n')
    assert rpg_settings(Settings.load(env={"NEURONAUT_HOME": str(tmp_path)})).seed == 5
    env = {"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_WORLDS": '{"rpg": {"seed": 9}}'}
    assert rpg_settings(Settings.load(env=env)).seed == 9  # the environment's worlds replace the file's
    assert rpg_settings(Settings.load(env=env)).server == "simulator"


def test_a_world_validates_its_own_section(tmp_path: Path) -> None:
    from neuronaut.worlds.rpg.settings import rpg_settings

    env = {"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_WORLDS": '{"rpg": {"seed": "many", "colour": "red"}}'}
    with pytest.raises(UserError, match=r"invalid settings in \[worlds\.rpg\]: seed: .*; colour: Extra"):
        rpg_settings(Settings.load(env=env))


def test_a_world_setting_of_the_old_flat_form_names_the_new_one(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"NEURONAUT_RPG_SEED is no longer read: .*\[worlds\.rpg\].*"
                                        r"NEURONAUT_WORLDS='\{\"rpg\": \{\"seed\""):
        Settings.load(env={"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_RPG_SEED": "2"})
    (tmp_path / "neuronaut.toml").write_text("[neuronaut]\nrpg_chat = '@bot'\n")
    with pytest.raises(UserError, match=r"rpg_chat is no longer read: write chat = \.\.\. under \[worlds\.rpg\]"):
        Settings.load(env={"NEURONAUT_HOME": str(tmp_path)})


def test_with_world_changes_one_key_of_one_section(tmp_path: Path) -> None:
    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_WORLDS": '{"rpg": {"chat": "@b"}}'})
    assert settings.with_world("rpg", seed=3).worlds == {"rpg": {"chat": "@b", "seed": 3}}
    assert settings.worlds == {"rpg": {"chat": "@b"}}
