"""Skill archives (.zip / .tar.gz): written from the skill files, read without trusting them.

Reading never extracts: members are read as bytes, and a member whose path is
absolute or climbs out with ``..``, or that is a link or a device, makes the
whole archive refused before anything is written.
"""

from __future__ import annotations

import logging
import os
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from neuronaut.errors import UserError

log = logging.getLogger(__name__)

MAX_MEMBER_BYTES = 1_000_000  # a skill file is a few KB; anything huge is not a skill
MAX_MEMBERS = 10_000


def archive_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz")):
        return "tar.gz"
    raise UserError(f"unsupported skill archive {path.name!r}: use a .zip or .tar.gz file name")


def write_archive(path: Path, files: list[tuple[str, Path]]) -> Path:
    """Write ``(name in archive, file)`` pairs to ``path`` atomically (temp file, then replace)."""
    fmt = archive_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if fmt == "zip":
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for arcname, file in files:
                    archive.write(file, arcname)
        else:
            with tarfile.open(tmp, "w:gz") as archive:
                for arcname, file in files:
                    archive.add(file, arcname, recursive=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_archive(path: Path) -> list[tuple[PurePosixPath, bytes]]:
    """Every regular file in the archive as (safe relative path, bytes)."""
    fmt = archive_format(path)
    if not path.is_file():
        raise UserError(f"skill archive {path} does not exist")
    try:
        members = _read_zip(path) if fmt == "zip" else _read_tar(path)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        raise UserError(f"cannot read skill archive {path}: {exc}") from None
    return [(safe_relative(name, path), data) for name, data in members]


def safe_relative(name: str, archive: Path) -> PurePosixPath:
    """``name`` as a relative path that stays inside the directory it is imported into."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        raise UserError(f"refusing skill archive {archive.name}: member {name!r} escapes the skills directory")
    return pure


def _read_zip(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_count(path, len(infos))
        out = []
        for info in infos:
            _check_size(path, info.filename, info.file_size)
            out.append((info.filename, archive.read(info)))
        return out


def _read_tar(path: Path) -> list[tuple[str, bytes]]:
    with tarfile.open(path, "r:*") as archive:
        members = [member for member in archive.getmembers() if not member.isdir()]
        _check_count(path, len(members))
        out = []
        for member in members:
            if not member.isfile():  # links and devices could point anywhere
                raise UserError(f"refusing skill archive {path.name}: {member.name!r} is not a regular file")
            _check_size(path, member.name, member.size)
            handle = archive.extractfile(member)
            out.append((member.name, handle.read() if handle else b""))
        return out


def _check_count(path: Path, count: int) -> None:
    if count > MAX_MEMBERS:
        raise UserError(f"refusing skill archive {path.name}: {count} files is more than {MAX_MEMBERS}")


def _check_size(path: Path, name: str, size: int) -> None:
    if size > MAX_MEMBER_BYTES:
        raise UserError(f"refusing skill archive {path.name}: {name!r} is larger than {MAX_MEMBER_BYTES} bytes")
