"""The catalogue's listing: what a customer selected, the pieces it finds, and the
count beside every filter value.

The selection lives in the query string (`?metal=gold&purity=gold-750&max=2000`),
so a listing is a link anyone can share, and works without JavaScript. A value the
shop no longer has (a deleted category in an old bookmark) is dropped, not an error.

Filters, facet counts and the page of pieces come from one SQL statement shape: the
shop's storefront pieces with today's price per piece (inventory.queries,
with_price_today: the pricing module's formula in SQL), its category and branch;
every filter is a condition on that row (a stone filter asks the piece's stones).
A facet's counts apply every other filter, so they say what ticking the value
would give.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from wagtail.search.backends import get_search_backend

from back_office.inventory import queries
from back_office.inventory.models import MetalColour, Piece, Stone
from back_office.inventory.purity import STANDARD_FINENESS, Metal, purity_label
from catalog.images import prefetch_photos

PER_PAGE = 24
MAX_QUERY = 100
PRICE = re.compile(r"[0-9]{1,12}(\.[0-9]{1,3})?")

# Each sort as SQL over the listing's row (see rows()); NULLS LAST: a piece with no
# rate for its metal yet has no price today.
SORTS = {
    "newest": ("Newest first", "p.created_at DESC, p.id DESC"),
    "price": ("Price, low to high", "p.price_today ASC NULLS LAST, p.id"),
    "-price": ("Price, high to low", "p.price_today DESC NULLS LAST, p.id"),
    "weight": ("Weight, heaviest first", "p.net_weight_g DESC, p.id"),
}
DEFAULT_SORT = "newest"
FACETS = ("category", "metal", "purity", "colour", "stone", "origin", "branch")
#: Every parameter the listing reads (catalog/cache.py keeps pages by them only).
PARAMETERS = frozenset({"q", "min", "max", "available", "sort", "page", *FACETS})


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class Facet:
    """One filter of the listing: its values, which are chosen, and their counts."""

    name: str  # the query-string parameter
    label: str
    column: str  # of the listing's row (see rows())
    choices: list[Choice]
    chosen: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    of_stones: bool = False  # a value of any of the piece's stones

    def values(self):
        """(choice, count, chosen) for the template: values with no piece left
        are hidden unless chosen."""
        return [
            (choice, self.counts.get(choice.value, 0), choice.value in self.chosen)
            for choice in self.choices
            if self.counts.get(choice.value) or choice.value in self.chosen
        ]

    def condition(self, value: str) -> tuple[str, list]:
        """SQL over the listing's row: the piece has this value."""
        if self.name == "purity":
            metal, fineness = value.rsplit("-", 1)
            return "(p.metal = %s AND p.fineness = %s)", [metal, int(fineness)]
        if self.of_stones:
            # Not correlated with the row, so PostgreSQL finds the stones' pieces
            # once per condition and hashes them, instead of probing per piece.
            return (
                f"p.id IN (SELECT s.piece_id FROM {Stone._meta.db_table} s "  # noqa: S608
                f"WHERE s.{self.column} = %s)",
                [value],
            )
        return f"p.{self.column} = %s", [_typed(self.column, value)]

    def where(self, values: list[str]) -> tuple[str, list]:
        parts = [self.condition(value) for value in values]
        return (
            "(" + " OR ".join(sql for sql, _ in parts) + ")",
            [param for _, params in parts for param in params],
        )


def _typed(column: str, value: str):
    return int(value) if column.endswith("_id") else value


@dataclass
class Selection:
    """What the customer asked for; every field as the query string spells it."""

    query: str = ""
    facets: list[Facet] = field(default_factory=list)
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock_only: bool = False
    sort: str = DEFAULT_SORT
    page: str = "1"
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def chosen(self) -> int:
        """How many filters the customer set (the search aside)."""
        return (
            sum(len(f.chosen) for f in self.facets)
            + (self.min_price is not None or self.max_price is not None)
            + self.in_stock_only
        )

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.query
            or any(f.chosen for f in self.facets)
            or self.min_price is not None
            or self.max_price is not None
            or self.in_stock_only
        )

    def conditions(self, leave_out: str | None = None) -> tuple[str, list]:
        """Every filter as SQL over the listing's row, but the facet `leave_out`."""
        parts = [
            facet.where(facet.chosen)
            for facet in self.facets
            if facet.chosen and facet.name != leave_out
        ]
        if self.min_price is not None:
            parts.append(("p.price_today >= %s", [self.min_price]))
        if self.max_price is not None:
            parts.append(("p.price_today <= %s", [self.max_price]))
        if self.in_stock_only:
            parts.append(("p.status = %s", [Piece.Status.IN_STOCK]))
        if not parts:
            return "TRUE", []
        return (
            " AND ".join(sql for sql, _ in parts),
            [param for _, params in parts for param in params],
        )


def facets_for_shop(data) -> list[Facet]:
    """The listing's filters with the shop's values (from catalog.shop_data)."""
    categories = [Choice(slug, name) for slug, name in data.categories]
    branches = [Choice(code, name) for code, name in data.branches.items()]
    return [
        Facet("category", "Category", "category_slug", categories),
        Facet("metal", "Metal", "metal", [Choice(m.value, m.label) for m in Metal]),
        Facet(
            "purity",
            "Purity",
            "fineness",
            [
                Choice(f"{metal}-{fineness}", purity_label(metal, fineness))
                for metal, finenesses in STANDARD_FINENESS.items()
                for fineness in finenesses
            ],
        ),
        Facet(
            "colour",
            "Metal colour",
            "colour",
            [Choice(c.value, c.label) for c in MetalColour],
        ),
        Facet(
            "stone",
            "Stone",
            "kind",
            [Choice(k.value, k.label) for k in Stone.Kind],
            of_stones=True,
        ),
        Facet(
            "origin",
            "Natural or lab-grown",
            "origin",
            [Choice(o.value, o.label) for o in Stone.Origin],
            of_stones=True,
        ),
        Facet("branch", "Where to see it", "branch_code", branches),
    ]


def _price(text: str) -> Decimal | None:
    """An amount as a customer types one: "1200", "1,250.50"."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    if not PRICE.fullmatch(text):
        raise ValueError
    return Decimal(text)


def parse(params, data) -> Selection:
    """The selection a query string asks for (never an error: a bad price is
    reported beside its field and left out)."""
    selection = Selection(query=params.get("q", "").strip()[:MAX_QUERY])
    for facet in facets_for_shop(data):
        known = {choice.value for choice in facet.choices}
        facet.chosen = [
            v for v in dict.fromkeys(params.getlist(facet.name)) if v in known
        ]
        selection.facets.append(facet)
    for name, attribute in (("min", "min_price"), ("max", "max_price")):
        try:
            setattr(selection, attribute, _price(params.get(name, "")))
        except ValueError:
            selection.errors[name] = "Enter an amount, like 1200 or 1,250.50."
    selection.in_stock_only = params.get("available") == "1"
    sort = params.get("sort", DEFAULT_SORT)
    selection.sort = sort if sort in SORTS else DEFAULT_SORT
    selection.page = params.get("page", "1")
    return selection


def matches(selection: Selection):
    """The search's SQL and parameters: the ids of the pieces its words find."""
    found = get_search_backend().search(
        selection.query, Piece, operator="and", order_by_relevance=False
    )
    return found.get_queryset().values("pk").query.sql_with_params()


def rows(selection: Selection, rates):
    """The listing's rows: the shop's storefront pieces (found by the search, if
    any: the statement's `found`), with today's price and what the filters read."""
    pieces = queries.with_price_today(queries.storefront_pieces(), rates).annotate(
        category_slug=F("category__slug"), branch_code=F("branch__code")
    )
    if selection.query:
        pieces = pieces.filter(pk__in=RawSQL("SELECT found.id FROM found", ()))
    return pieces.order_by().values(
        "id",
        "created_at",
        "net_weight_g",
        "metal",
        "fineness",
        "colour",
        "status",
        "price_today",
        "category_slug",
        "branch_code",
    )


def _page_ids_sql(where: str, order: str) -> str:
    """The ids of one page of the rows the conditions find, in order, as one value
    (an array on PostgreSQL, a comma-separated text on SQLite)."""
    page = f"SELECT p.id FROM p WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    if connection.vendor == "postgresql":
        return f"ARRAY({page})"
    return f"(SELECT group_concat(id) FROM ({page}))"  # noqa: S608


def count_and_page(selection: Selection, rows_sql: str, params, start: int):
    """Fill each facet's counts, and return how many pieces the whole selection
    finds and the ids of PER_PAGE of them from `start`: one statement.

    The search's matches and the rows are CTEs worked out once (MATERIALIZED on
    PostgreSQL): each piece's price is computed once for all the counts and the
    page, and no plan runs the rows, or the text match, again per piece (which,
    without table statistics, PostgreSQL did: minutes for a thousand pieces)."""
    where, where_params = selection.conditions()
    columns, values = [f"COUNT(*) FILTER (WHERE {where})"], list(where_params)
    slots = []
    for facet in selection.facets:
        others, others_params = selection.conditions(leave_out=facet.name)
        for choice in facet.choices:
            sql, choice_params = facet.condition(choice.value)
            columns.append(f"COUNT(*) FILTER (WHERE {others} AND {sql})")
            values += others_params + choice_params
            slots.append((facet, choice.value))
    columns.append(_page_ids_sql(where, SORTS[selection.sort][1]))
    values += [*where_params, PER_PAGE, start]
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    ctes, cte_params = [], []
    if selection.query:
        search_sql, search_params = matches(selection)
        ctes.append(f"found (id) AS {materialized}({search_sql})")
        cte_params += search_params
    ctes.append(f"p AS {materialized}({rows_sql})")
    statement = (
        f"WITH {', '.join(ctes)} "  # noqa: S608 (placeholders only)
        f"SELECT {', '.join(columns)} FROM p"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*cte_params, *params, *values])
        total, *counts, ids = cursor.fetchone()
    for (facet, value), count in zip(slots, counts, strict=True):
        facet.counts[value] = count
    if isinstance(ids, str):  # SQLite's group_concat
        ids = [int(pk) for pk in ids.split(",")]
    return total, list(ids or [])


@dataclass
class Listing:
    selection: Selection
    total: int
    page: object  # a Paginator page of pieces with price_today and photos


def _page_number(text: str) -> int:
    return int(text) if text.isdecimal() and 0 < int(text) < 10**6 else 1


def listing(selection: Selection, rates) -> Listing:
    """The pieces the selection finds, a page of them, and the facets' counts."""
    rows_sql, params = rows(selection, rates).query.sql_with_params()
    number = _page_number(selection.page)
    total, ids = count_and_page(selection, rows_sql, params, (number - 1) * PER_PAGE)
    page = Paginator(range(total), PER_PAGE).get_page(number)
    if page.number != number:  # past the last page: show the last one
        total, ids = count_and_page(
            selection, rows_sql, params, (page.number - 1) * PER_PAGE
        )
    found = queries.with_price_today(Piece.objects.filter(pk__in=ids), rates)
    by_id = {piece.pk: piece for piece in found.select_related("category")}
    shown = [by_id[pk] for pk in ids if pk in by_id]
    prefetch_photos(shown)
    page.object_list = shown
    return Listing(selection, total, page)
