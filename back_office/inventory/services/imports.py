"""Taking a spreadsheet of pieces into stock: every row is checked first
(importing.py), and the file is imported whole or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction

from back_office.inventory.errors import ImportRefused
from back_office.inventory.importing import (
    Progress,
    RowError,
    check_rows,
    model_messages,
    read_rows,
)
from back_office.inventory.models import Piece
from back_office.inventory.services.stock import receive_piece


@dataclass
class ImportResult:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.pieces)


@transaction.atomic
def import_pieces(
    source: IO | str | Path | Iterable[Mapping[str, str]],
    user=None,
    *,
    filename: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Take every piece of a spreadsheet into stock as the current shop, or none.

    `source`: a path or an open file (.csv or .xlsx, by `filename` or the file's
    name), or rows as {column: text} in sheet order (the first is line 2).
    Raises ImportRefused, listing every bad line, and then writes nothing.
    """
    if isinstance(source, str | Path) or hasattr(source, "read"):
        source = read_rows(source, filename)
    pieces, errors = check_rows(source, progress)
    if errors:
        raise ImportRefused(errors)
    reference = f"import {filename or ''}".strip()[:40]
    result = ImportResult()
    for done, (line, piece) in enumerate(pieces):
        if progress:
            progress("importing", done, len(pieces))
        try:
            result.pieces.append(receive_piece(piece, user, reference))
        except ValidationError as error:  # a rule the check above did not see
            raise ImportRefused(
                [RowError(line, message) for message in model_messages(error)]
            ) from error
    if progress:
        progress("importing", len(pieces), len(pieces))
    return result
