"""The fake Slack's file uploads: files.getUploadURLExternal, the upload URL, files.completeUploadExternal.

These methods are newer than the 2021 spec, so their arguments are checked against Slack's documentation
(see ``NEWER_THAN_SPEC`` in ``slack_api``); the bytes posted must match the announced length.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass
class File:
    """A file on its way in (files.getUploadURLExternal), then its bytes, then where it was shared."""

    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str = ""
    channel: str | None = None


class FileUploads:
    """Mixed into ``FakeSlack``: where uploads go, and the three steps of ``files_upload_v2``."""

    files: dict[str, File]
    problems: list[str]
    base_url: str
    _ids: itertools.count[int]
    _channel: Callable[[dict[str, Any]], Any]  # FakeSlack's: the channel, or Slack's error body

    def shared_to(self, channel: str) -> list[File]:
        """Files completed into ``channel`` (files.completeUploadExternal), in order."""
        return [f for f in self.files.values() if f.channel == channel]

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal handed out: the file's bytes, POSTed as they are."""
        file = self.files.get(request.match_info["file_id"])
        if file is None:
            return web.Response(status=404, text="no such upload")
        data = await request.read()
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            part = next(iter(form.values()), b"")
            data = part.file.read() if hasattr(part, "file") else str(part).encode()
        if len(data) != file.length:
            self.problems.append(f"upload {file.filename}: {len(data)} bytes, announced {file.length}")
        file.data = data
        return web.Response(text=f"OK - {len(data)}")

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(args["length"])
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if length < 1:
            return {"ok": False, "error": "invalid_arguments"}
        file = File(id=f"F{next(self._ids):08d}", filename=str(args["filename"]), length=length)
        self.files[file.id] = file
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file.id}", "file_id": file.id}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        listed = json.loads(str(args["files"]))
        channel_id = args.get("channel_id")
        if channel_id:
            channel = self._channel({"channel": channel_id})
            if isinstance(channel, dict):
                return channel
        done = []
        for item in listed:
            file = self.files.get(str(item.get("id")))
            if file is None or file.data is None:
                return {"ok": False, "error": "file_not_found"}
            file.title, file.channel = str(item.get("title") or file.filename), channel_id
            done.append({"id": file.id, "name": file.filename, "title": file.title})
        return {"ok": True, "files": done}
