"""Where a WARC's bytes come from: a file on disk, or a WARC stored inside a WACZ (ZIP) package.

WACZ keeps its WARCs uncompressed in the ZIP (STORE), so a member is read through a seekable
window onto the package file itself: nothing is extracted or held in memory, and reading a
record at an offset (a revisit's original) is a seek, as in a plain file. A member that a
non-conforming packer compressed is read through `zipfile` (correct, but seeking backwards
decompresses again from the start).
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

__all__ = ["WaczFormatError", "WarcSource", "is_wacz_name", "wacz_sources"]

WACZ_SUFFIX = ".wacz"
ARCHIVE_DIR = "archive/"
_MEMBER_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... file name length, extra field length
_LOCAL_SIGNATURE = b"PK\x03\x04"


class WaczFormatError(ValueError):
    """A `.wacz` that is not a readable ZIP package, or holds no WARC under `archive/`."""


def is_wacz_name(name: str) -> bool:
    return name.lower().endswith(WACZ_SUFFIX)


@dataclass(frozen=True, slots=True)
class WarcSource:
    """One WARC/ARC file, on disk or inside a WACZ."""

    path: Path
    """What errors and `Exchange.meta["warc_path"]` show: the file, or `PACKAGE.wacz/archive/NAME`
    for a WACZ member (its `.name` is then the member's file name, as `Capture.warc_file`)."""
    package: Path | None = None
    """The `.wacz` holding this WARC; None for a plain file."""
    member: str | None = None
    """Name of the ZIP entry, e.g. `archive/demo-...warc.gz`."""

    def open(self) -> BinaryIO:
        """A seekable binary file object over the WARC's bytes; the caller closes it."""
        if self.package is None or self.member is None:
            return self.path.open("rb")
        return _open_member(self.package, self.member)


def wacz_sources(package: Path) -> list[WarcSource]:
    """The WARC/ARC members under `archive/` of a WACZ, in ZIP order; raises WaczFormatError."""
    try:
        with zipfile.ZipFile(package) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WaczFormatError(f"not a readable WACZ (ZIP) file: {exc}") from exc
    members = [
        name
        for name in names
        if name.startswith(ARCHIVE_DIR) and name.lower().endswith(_MEMBER_SUFFIXES)
    ]
    if not members:
        raise WaczFormatError("no WARC or ARC file under archive/ (is this a WACZ?)")
    return [WarcSource(path=package / name, package=package, member=name) for name in members]


def _open_member(package: Path, member: str) -> BinaryIO:
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(member)
    if info.flag_bits & 0x1:
        raise WaczFormatError(f"{member} is encrypted")
    if info.compress_type != zipfile.ZIP_STORED:
        return cast(BinaryIO, _CompressedMember(package, member))
    raw = package.open("rb")
    try:
        raw.seek(info.header_offset)
        header = raw.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size:
            raise WaczFormatError(f"{member}: local header cut off (truncated package?)")
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        if signature != _LOCAL_SIGNATURE:
            raise WaczFormatError(f"{member}: bad local header at {info.header_offset}")
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    except BaseException:
        raw.close()
        raise
    return cast(BinaryIO, _Window(raw, start, info.compress_size))


class _Window(io.RawIOBase):
    """Read-only, seekable view of `size` bytes of `raw` starting at `start`."""

    def __init__(self, raw: BinaryIO, start: int, size: int) -> None:
        super().__init__()
        self._raw = raw
        self._start = start
        self._size = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._size - self._position)
        if wanted <= 0:
            return 0
        self._raw.seek(self._start + self._position)
        data = self._raw.read(wanted)
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._position + offset
        elif whence == io.SEEK_END:
            position = self._size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._position = position
        return position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _CompressedMember(io.RawIOBase):
    """A deflated member through `zipfile` (seekable; closes the ZIP with the member)."""

    def __init__(self, package: Path, member: str) -> None:
        super().__init__()
        self._archive = zipfile.ZipFile(package)
        try:
            self._member = self._archive.open(member)
        except BaseException:
            self._archive.close()
            raise

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._member.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._member.seek(offset, whence)

    def tell(self) -> int:
        return self._member.tell()

    def close(self) -> None:
        if not self.closed:
            self._member.close()
            self._archive.close()
        super().close()
