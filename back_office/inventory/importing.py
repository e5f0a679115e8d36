"""Reading and checking a spreadsheet of pieces (CSV or XLSX); nothing here writes.

Each row is validated by `PieceRowForm` and then by the model's own validation; any
error on any row refuses the whole file (`ImportRefused`, one message per problem,
"line 7: net weight 12.4 g exceeds gross weight 10.1 g", line numbers as a spreadsheet
shows them: the header is line 1). services.import_pieces takes a valid file into
stock, one ledger entry per piece, in one transaction.

The columns are `COLUMNS`; docs/inventory-import.md describes each one. The piece
listing's export (PieceViewSet.list_export) writes the same columns, so an export
can be imported again, into the same shop after a clean-up or into another shop.
"""

from __future__ import annotations

import csv
import difflib
import io
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile, ZipFile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from back_office.inventory.errors import ImportRefused
from back_office.inventory.models import (
    MONEY,
    WEIGHT,
    Category,
    MakingChargeType,
    MetalColour,
    Piece,
    PricingMode,
)
from back_office.inventory.purity import Metal, parse_purity
from back_office.tenancy.context import require_tenant
from back_office.tenants.models import Branch


@dataclass(frozen=True)
class Column:
    """A column of the import, as the import screen and the template explain it."""

    name: str
    required: str  # "yes", "no", or when it is needed
    what: str
    blank: str  # what a blank cell means
    example: str


#: The columns, in the order the export and the template write them.
COLUMN_HELP = (
    Column("sku", "yes", "up to 40 characters, new to the shop, once in the file; "
           "letters, digits and - . _ /, stored in capitals", "", "R100"),
    Column("title", "yes", "up to 200 characters", "", "Solitaire ring"),
    Column("category", "yes", "an existing category, by name or slug", "", "Rings"),
    Column("metal", "yes", "gold, silver, platinum or palladium", "", "gold"),
    Column("fineness", "yes", "parts per thousand (916, 750, 925) or, for gold, a "
           "karat (22K, 18k)", "", "18K"),
    Column("colour", "no", "yellow, white, rose, two_tone or natural", "none",
           "yellow"),
    Column("gross_weight_g", "yes", "grams, up to 3 decimals", "", "5.200"),
    Column("net_weight_g", "yes", "metal only, grams; at most the gross weight", "",
           "4.800"),
    Column("hallmark", "no", "HUID or assay mark, up to 40 characters", "none",
           "HUID1A"),
    Column("size", "no", "ring size etc., up to 20 characters", "none", "14"),
    Column("branch", "yes", "an existing branch code", "", "MAIN"),
    Column("cost", "no", "what the piece cost the shop", "0", "300.00"),
    Column("pricing_mode", "no", "rate (from today's metal rate) or fixed (the tag "
           "price)", "rate", "rate"),
    Column("tag_price", "for fixed", "the price on the tag", "none", ""),
    Column("making_charge_type", "no", "percent (of the metal value), per_gram or "
           "fixed", "percent", "percent"),
    Column("making_charge", "no", "the percentage, the amount per gram, or the "
           "amount", "0", "12"),
    Column("shown_on_storefront", "no", "yes or no", "yes", "yes"),
    Column("description", "no", "free text", "none", "Made in our workshop"),
)  # fmt: skip
COLUMNS = tuple(column.name for column in COLUMN_HELP)
#: What the piece listing's export writes (PieceViewSet.list_export): accessor ->
#: column. Related rows by their code, so an export can be imported again.
EXPORT_FIELDS = {
    ("category.slug" if c == "category" else "branch.code" if c == "branch" else c): c
    for c in COLUMNS
}
REQUIRED_COLUMNS = tuple(c.name for c in COLUMN_HELP if c.required == "yes")
HEADER_LINE = 1

YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


#: progress(stage, done, total), stage being "checking" or "importing".
Progress = Callable[[str, int, int], None]


# The template a shop fills in


def template_rows() -> list[list[str]]:
    """The header and one example row, with the shop's own first category and
    branch, so the example imports as it is once its SKU is new."""
    category = Category.objects.order_by("name").first()
    branch = Branch.objects.order_by("code").first()
    example = {column.name: column.example for column in COLUMN_HELP}
    if category is not None:
        example["category"] = category.name
    if branch is not None:
        example["branch"] = branch.code
    return [list(COLUMNS), [example[name] for name in COLUMNS]]


def template_csv() -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(template_rows())
    return text.getvalue().encode("utf-8-sig")  # Excel reads the BOM as UTF-8


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pieces"
    for row in template_rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# Reading files


def _refused(message: str) -> ImportRefused:
    return ImportRefused([RowError(HEADER_LINE, message)])


@dataclass(frozen=True)
class Limits:
    """How much of a file is read before it is refused: a spreadsheet is checked
    whole in memory, and a small file can declare a huge one (an XLSX whose sheet
    spans A1:XFD1048576 is 1.6 KB)."""

    rows: int = 5_000
    file_bytes: int = 10 * 1024 * 1024
    unpacked_bytes: int = 50 * 1024 * 1024  # an XLSX's contents, unzipped
    seconds: float = 30.0
    columns: int = 2 * len(COLUMNS)  # cells beyond are not read
    cell_characters: int = 10_000

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(**getattr(settings, "KARAT_IMPORT_LIMITS", {}))


def read_rows(file: IO | str | Path, filename: str | None = None) -> list[dict]:
    """The data rows of a CSV or XLSX file as {column: text}, by file extension.

    Cells are turned into text the way a person would type them, so both formats
    go through the same validation. Column names are matched case-insensitively.
    A file beyond `Limits` is refused before it is read whole.
    """
    if isinstance(file, str | Path):
        path = Path(file)
        with path.open("rb") as opened:
            return read_rows(opened, path.name)
    limits = Limits.from_settings()
    name = (filename or getattr(file, "name", "") or "").lower()
    data = file.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise _refused(f"the file is larger than {limits.file_bytes // 2**20} MB")
    if name.endswith(".xlsx"):
        table = _xlsx_table(data, limits)
    elif name.endswith(".csv"):
        table = _csv_table(data, limits)
    else:
        raise ImportRefused(
            [RowError(HEADER_LINE, "the file must be a .csv or .xlsx spreadsheet")]
        )
    if not table:
        raise ImportRefused([RowError(HEADER_LINE, "the file is empty")])
    header = [_text(cell).lower().replace(" ", "_") for cell in table[0]]
    _check_header(header)
    return [
        {
            column: _text(row[index]) if index < len(row) else ""
            for index, column in enumerate(header)
            if column
        }
        for row in table[1:]
    ]


def _bounded(rows: Iterable, limits: Limits) -> list[list[Any]]:
    """The rows, up to the header and `limits.rows` data rows, each cut to
    `limits.columns` cells; refused if there are more rows or it takes too long."""
    deadline = time.monotonic() + limits.seconds
    table = []
    for row in rows:
        if len(table) > limits.rows:
            raise _refused(
                f"the file has more than {limits.rows:,} rows: import it in parts"
            )
        if time.monotonic() > deadline:
            raise _refused("the file took too long to read")
        cells = list(row[: limits.columns])
        if any(isinstance(c, str) and len(c) > limits.cell_characters for c in cells):
            raise _refused(
                f"line {len(table) + 1} has a cell longer than "
                f"{limits.cell_characters:,} characters"
            )
        table.append(cells)
    return table


def _csv_table(data: bytes, limits: Limits) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as error:
        raise _refused("save the CSV file as UTF-8 and try again") from error
    try:
        return _bounded(csv.reader(io.StringIO(text, newline="")), limits)
    except csv.Error as error:  # a field over the csv module's own limit, say
        raise _refused(f"the CSV file cannot be read: {error}") from error


def _xlsx_table(data: bytes, limits: Limits) -> list[list[Any]]:
    from openpyxl import load_workbook  # only needed for spreadsheets
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        unpacked = sum(item.file_size for item in ZipFile(io.BytesIO(data)).infolist())
    except (BadZipFile, OSError, ValueError) as error:
        raise _refused("the file is not a readable .xlsx workbook") from error
    if unpacked > limits.unpacked_bytes:
        raise _refused(
            f"the workbook unpacks to more than {limits.unpacked_bytes // 2**20} MB"
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise _refused("the file is not a readable .xlsx workbook") from error
    try:
        sheet = workbook.worksheets[0]
        # Bounded here too: a read-only sheet pads every row to its declared width.
        rows = sheet.iter_rows(
            max_row=limits.rows + 2, max_col=limits.columns, values_only=True
        )
        return _bounded(rows, limits)
    finally:
        workbook.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        # A spreadsheet stores 5.2 as a float; repr is the shortest exact spelling.
        return repr(value).removesuffix(".0")
    return str(value).strip()


def _check_header(header: list[str]) -> None:
    errors = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        errors.append(f"missing column(s) {', '.join(missing)}")
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        errors.append(
            f"unknown column(s) {', '.join(unknown)}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    repeated = sorted(
        {column for column in header if column and header.count(column) > 1}
    )
    if repeated:
        errors.append(f"repeated column(s) {', '.join(repeated)}")
    if errors:
        raise ImportRefused([RowError(HEADER_LINE, message) for message in errors])


# Validating one row


def _choice(choices: type, what: str) -> Callable[[str], str]:
    """Accept a choice by its value or its label, in any case: "gold", "Gold"."""
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
        lookup[value.lower().replace("_", " ")] = value

    def clean(text: str) -> str:
        if not text:
            return ""
        try:
            return lookup[text.strip().lower()]
        except KeyError:
            allowed = ", ".join(value for value, _ in choices.choices)
            raise ValidationError(f'{what} "{text}" is not one of {allowed}') from None

    return clean


class _TextChoiceField(forms.CharField):
    def __init__(self, *, parse: Callable[[str], str], default: str = "", **kwargs):
        self.parse = parse
        self.default = default
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        return self.parse(super().clean(value)) or self.default


class PieceRowForm(forms.Form):
    """One spreadsheet row: text in, the values of a new Piece out.

    `categories` and `branches` are the shop's own, looked up by lower-cased name,
    slug or code, so a row can only ever point at the importing shop's rows.
    """

    sku = forms.CharField(max_length=40)
    title = forms.CharField(max_length=200)
    category = forms.CharField()
    metal = _TextChoiceField(parse=_choice(Metal, "metal"))
    fineness = forms.CharField(max_length=8)
    colour = _TextChoiceField(parse=_choice(MetalColour, "colour"))
    gross_weight_g = forms.DecimalField(min_value=0, **WEIGHT)
    net_weight_g = forms.DecimalField(min_value=0, **WEIGHT)
    hallmark = forms.CharField(max_length=40, required=False)
    size = forms.CharField(max_length=20, required=False)
    branch = forms.CharField()
    cost = forms.DecimalField(min_value=0, required=False, **MONEY)
    pricing_mode = _TextChoiceField(
        parse=_choice(PricingMode, "pricing_mode"), default=PricingMode.RATE
    )
    tag_price = forms.DecimalField(min_value=0, required=False, **MONEY)
    making_charge_type = _TextChoiceField(
        parse=_choice(MakingChargeType, "making_charge_type"),
        default=MakingChargeType.PERCENT,
    )
    making_charge = forms.DecimalField(
        min_value=0, max_digits=12, decimal_places=2, required=False
    )
    shown_on_storefront = forms.CharField(required=False)
    description = forms.CharField(required=False)

    def __init__(self, data, *, categories: dict, branches: dict):
        super().__init__(data)
        self.categories = categories
        self.branches = branches

    def clean_sku(self):
        return self.cleaned_data["sku"].strip().upper()

    def clean_metal(self):
        metal = self.cleaned_data["metal"]
        if not metal:
            raise ValidationError("This field is required.")
        return metal

    def clean_category(self):
        name = self.cleaned_data["category"]
        try:
            return self.categories[name.lower()]
        except KeyError:
            guess = _did_you_mean(name, self.categories, lambda c: c.name)
            raise ValidationError(
                f'unknown category "{name}"{guess}: add it under Inventory > '
                "Categories first, or use an existing category's name or slug"
            ) from None

    def clean_branch(self):
        code = self.cleaned_data["branch"]
        try:
            return self.branches[code.lower()]
        except KeyError:
            guess = _did_you_mean(code, self.branches, lambda b: b.code)
            raise ValidationError(
                f'unknown branch "{code}"{guess}: use a branch code of this shop'
            ) from None

    def clean_shown_on_storefront(self):
        text = self.cleaned_data["shown_on_storefront"].lower()
        if text in YES or text == "":
            return True
        if text in NO:
            return False
        raise ValidationError(f'"{text}" is not yes or no')

    def clean(self):
        data = super().clean()
        data["fineness"] = self._fineness(data.get("fineness"), data.get("metal"))
        data["cost"] = data.get("cost") or Decimal(0)
        data["making_charge"] = data.get("making_charge") or Decimal(0)
        net, gross = data.get("net_weight_g"), data.get("gross_weight_g")
        if net is not None and gross is not None and net > gross:
            raise ValidationError(f"net weight {net} g exceeds gross weight {gross} g")
        if (
            data.get("pricing_mode") == PricingMode.FIXED
            and data.get("tag_price") is None
        ):
            self.add_error("tag_price", "a fixed-price piece needs a tag price")
        return data

    def _fineness(self, text: str | None, metal: str | None) -> int | None:
        if not text:
            return None
        try:
            return parse_purity(text, metal)
        except ValidationError as error:
            self.add_error("fineness", error)
            return None


def _did_you_mean(typed: str, known: dict, spelling: Callable) -> str:
    """' (did you mean "Bangles"?)' for a near miss of one of `known`'s keys."""
    close = difflib.get_close_matches(typed.lower(), list(known), n=1, cutoff=0.75)
    return f' (did you mean "{spelling(known[close[0]])}"?)' if close else ""


def _messages(form: PieceRowForm) -> list[str]:
    messages = []
    for name, errors in form.errors.items():
        for message in errors:
            if name == forms.forms.NON_FIELD_ERRORS:
                messages.append(message)
            elif message == "This field is required.":
                messages.append(f"{name} is required")
            elif not message[:1].isupper():
                messages.append(message)  # ours, written to stand alone
            else:
                messages.append(f"{name}: {message}")
    return messages


def model_messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        message if name == "__all__" else f"{name}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


# Checking a file


def _lookups(model, *keys: str) -> dict:
    return {
        str(getattr(row, key)).lower(): row
        for row in model.objects.all()
        for key in keys
    }


def check_rows(
    rows: Iterable[Mapping[str, str]], progress: Progress | None = None
) -> tuple[list[tuple[int, Piece]], list[RowError]]:
    """Validate every row as the current shop; nothing is written.

    Returns the pieces to receive (with their line numbers) and the errors.
    """
    tenant = require_tenant()
    rows = list(rows)
    categories = _lookups(Category, "slug", "name")
    branches = _lookups(Branch, "code")
    in_stock = set(Piece.objects.values_list("sku", flat=True))
    first_line: dict[str, int] = {}
    pieces, errors = [], []
    for index, row in enumerate(rows):
        line = HEADER_LINE + 1 + index
        if progress:
            progress("checking", index, len(rows))
        if not any(str(value).strip() for value in row.values()):
            continue  # a blank line in the sheet
        form = PieceRowForm(
            {column: row.get(column, "") for column in COLUMNS},
            categories=categories,
            branches=branches,
        )
        row_errors = [] if form.is_valid() else _messages(form)
        sku = form.cleaned_data.get("sku")
        if sku:
            if sku in first_line:
                row_errors.insert(
                    0, f"SKU {sku} is repeated (first on line {first_line[sku]})"
                )
            elif sku in in_stock:
                row_errors.insert(0, f"SKU {sku} is already in this shop's stock")
            first_line.setdefault(sku, line)
        if not row_errors:
            piece = Piece(tenant=tenant, **form.cleaned_data)
            try:
                piece.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                row_errors = model_messages(error)
            else:
                pieces.append((line, piece))
        errors.extend(RowError(line, message) for message in row_errors)
    if progress:
        progress("checking", len(rows), len(rows))
    if not pieces and not errors:
        errors.append(RowError(HEADER_LINE, "the file has no pieces"))
    return pieces, errors
