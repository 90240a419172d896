"""`neuronaut serve-model`: how flags and Settings become llama_cpp.server settings (no model is loaded here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuronaut.errors import ModelNotAvailable
from neuronaut.llm import server
from neuronaut.llm.presets import PRESETS, installed_path
from neuronaut.settings import Settings

pytest.importorskip("pydantic_settings", reason="llama_cpp.server's settings need the server extra")


def test_a_new_request_never_interrupts_the_running_one() -> None:
    server_settings, _ = server.llama_settings(server.ServeConfig(Path("m.gguf"), "m"))
    assert server_settings.interrupt_requests is False


def test_model_settings_follow_the_config() -> None:
    config = server.ServeConfig(Path("/models/m.gguf"), "smollm2-135m", host="127.0.0.1", port=9001, n_ctx=2048,
                                n_threads=1, seed=3)
    server_settings, model = server.llama_settings(config)
    assert (server_settings.host, server_settings.port) == ("127.0.0.1", 9001)
    assert (model.model, model.model_alias, model.n_ctx, model.seed) == ("/models/m.gguf", "smollm2-135m", 2048, 3)
    assert (model.n_threads, model.n_threads_batch) == (1, 1)  # prefill too: one core per server
    assert model.logits_all is False and model.verbose is False


def test_flags_win_over_settings_and_the_preset_is_resolved(tmp_path: Path) -> None:
    if installed_path(PRESETS["smollm2-135m"], tmp_path) is None:
        pytest.skip("the bundled smollm2-135m package is not installed")
    settings = Settings(home=tmp_path, model="qwen2.5-coder-1.5b", n_ctx=8192, n_threads=2)
    args = server.parse_args(["--model", "smollm2-135m", "--port", "9002", "--n-ctx", "2048", "--threads", "1"])
    config = server.config_from(args, settings)
    assert config.alias == "smollm2-135m" and config.model_path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert (config.host, config.port, config.n_ctx, config.n_threads) == ("127.0.0.1", 9002, 2048, 1)


def test_defaults_come_from_settings(tmp_path: Path) -> None:
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 16)
    settings = Settings(home=tmp_path, model=str(gguf), n_ctx=4096, n_threads=3, seed=11)
    config = server.config_from(server.parse_args([]), settings)
    assert (config.model_path, config.alias, config.n_ctx, config.n_threads, config.seed) == (gguf, "tiny", 4096, 3, 11)
    assert (config.host, config.port) == (server.DEFAULT_HOST, server.DEFAULT_PORT)


def test_an_unknown_model_is_a_user_error_before_anything_listens(tmp_path: Path) -> None:
    args = server.parse_args(["--model", "no-such-preset", "--port", "9"])
    with pytest.raises(ModelNotAvailable, match="unknown model"):
        server.config_from(args, Settings(home=tmp_path))
