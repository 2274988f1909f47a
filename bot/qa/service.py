"""Open the fact store for answering: build the index if the data changed, then load the catalog."""

from __future__ import annotations

from pathlib import Path

from ..facts.index import IndexReport, ensure_index
from .catalog import Catalog
from .engine import Answerer


async def open_answerer(index: Path, data_dir: Path) -> tuple[Answerer, IndexReport]:
    report = await ensure_index(index, data_dir)
    return Answerer(Catalog.open(index)), report
