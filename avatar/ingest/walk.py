"""Which files to read under a folder or inside a zip, and which to leave alone.

A platform export holds far more than posts: photos and videos, account data, ads data,
and other people's private messages (Instagram's ``messages/``, the X archive's
``direct-messages.js``). Inside a folder or a zip, files that a platform reader claims are
read; media, web pages, other X archive ``.js`` files and anything under an export's
non-post folders are *ignored* (counted, not rejected). Everything else is sniffed as usual.
A file named on the command line is always read.

Zip members are read in place through :class:`zipfile.Path`, never extracted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .base import Rejection
from .registry import claimed_by

NOT_POSTS = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".svg", ".ico",
    ".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv", ".mp3", ".m4a", ".aac", ".wav", ".ogg", ".opus",
    ".html", ".htm", ".css", ".woff", ".woff2", ".ttf", ".otf", ".pdf", ".srt", ".vtt",
})
NEVER_POSTS = frozenset({                  # export folders that never hold the creator's posts
    "messages", "inbox", "message_requests", "personal_information", "connections",
    "logged_information", "ads_information", "ads_and_businesses", "ads_and_topics",
    "security_and_login_information", "preferences", "apps_and_websites_off_of_instagram",
})
EXPORT_DIRS = frozenset({"your_instagram_activity", "takeout", "assets"})   # read what a platform claims


@dataclass(frozen=True)
class Entry:
    """One file to consider: ``path`` is a :class:`Path` or a :class:`zipfile.Path`."""

    path: Path | zipfile.Path
    parts: tuple[str, ...]          # folders between the root and the file
    walked: bool                    # found under a folder or in a zip (not named by the user)

    @property
    def ignored(self) -> bool:
        """Export content that is not the creator's posts (see the module docstring)."""
        if not self.walked:
            return False
        suffix = PurePosixPath(self.path.name).suffix.lower()
        folders = {part.lower() for part in self.parts}
        if suffix in NOT_POSTS or folders & NEVER_POSTS:
            return True
        if claimed_by(self.path) is not None:        # type: ignore[arg-type]
            return False
        return suffix == ".js" or bool(folders & EXPORT_DIRS)


def entries(root: Path) -> Iterator[Entry | Rejection]:
    """The files under ``root`` in name order (``root`` itself if it is a plain file)."""
    if root.is_dir():
        yield from _folder(root, ())
    elif root.suffix.lower() == ".zip":
        yield from _zip(root)
    else:
        yield Entry(root, (), walked=False)


def _folder(folder: Path, parts: tuple[str, ...]) -> Iterator[Entry | Rejection]:
    for item in sorted(folder.iterdir()):
        if item.name.startswith(".") or item.name == "__MACOSX":
            continue
        if item.is_dir() and not item.is_symlink():
            yield from _folder(item, (*parts, item.name))
        elif item.is_file() and item.suffix.lower() == ".zip":
            yield from _zip(item)
        elif item.is_file():
            yield Entry(item, parts, walked=True)


def _zip(path: Path) -> Iterator[Entry | Rejection]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError) as err:
        yield Rejection(str(path), None, f"not a readable zip archive ({err}); it is probably cut off or "
                                         "damaged: download the export again")
        return
    except OSError as err:
        yield Rejection(str(path), None, f"cannot read the file ({err.strerror or err}); check that you may read it")
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = PurePosixPath(info.filename)
            if info.is_dir() or any(p.startswith(".") or p == "__MACOSX" for p in member.parts):
                continue
            if member.suffix.lower() == ".zip":
                yield Rejection(f"{path}/{info.filename}", None, "a zip inside a zip; extract the outer "
                                                                 "zip and import the folder")
                continue
            yield Entry(zipfile.Path(archive, at=info.filename), member.parts[:-1], walked=True)
