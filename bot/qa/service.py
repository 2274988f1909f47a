"""Open the fact store for answering: build the index if the data changed, then load the catalog."""

from __future__ import annotations

from pathlib import Path

from ..facts.index import IndexReport, ensure_index
from ..storage import Database
from .catalog import Catalog
from .engine import Answerer


async def open_answerer(db: Database, data_dir: Path) -> tuple[Answerer, IndexReport]:
    report = await ensure_index(db, data_dir)
    return Answerer(Catalog.open(db.path)), report
