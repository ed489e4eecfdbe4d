from __future__ import annotations

import contextlib
import io

from letterboxd_stats.ingest.sources import ExportFile


def export_file(path: str, content: str | bytes) -> ExportFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return ExportFile(path=path, label=path, open=lambda: contextlib.nullcontext(io.BytesIO(data)))
