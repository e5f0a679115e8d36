from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from back_office.inventory.purity import Metal, purity_label
from back_office.tenancy.models import AppendOnly, TenantOwned
from back_office.tenancy.queries import in_shop_collection
from back_office.tenants.models import Branch

WEIGHT = {"max_digits": 10, "decimal_places": 3}  # grams or carats, to the milligram
#: The largest quantity a stock level or a ledger entry can hold (WEIGHT's digits).
MAX_QUANTITY = Decimal("9999999.999")
MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0"))]
# What a Code 128 tag and every scanner read back the same: letters, digits, - . _ /
SKU_CHARACTERS = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._/-]*$",
    "Use letters (A-Z), digits and - . _ / only: the SKU is printed as a barcode.",
)


def normalized_sku(sku: str) -> str:
    """Scanners and people type SKUs in any case; one spelling is stored."""
    return sku.strip().upper()


class Category(TenantOwned):
    """The shop's own ways of grouping stock: rings, chains, bangles..."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "slug"], name="category_slug_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MetalColour(models.TextChoices):
    YELLOW = "yellow", "Yellow"
    WHITE = "white", "White"
    ROSE = "rose", "Rose"
    TWO_TONE = "two_tone", "Two-tone"
    NATURAL = "natural", "Natural"


class PricingMode(models.TextChoices):
    FIXED = "fixed", "Fixed tag price"
    RATE = "rate", "From today's metal rate"


class MakingChargeType(models.TextChoices):
    PER_GRAM = "per_gram", "Per gram"
    PERCENT = "percent", "Percent of metal value"
    FIXED = "fixed", "Fixed amount"


class Piece(index.Indexed, TenantOwned, ClusterableModel):
    """One serialized, one-of-a-kind item of stock."""

    class Status(models.TextChoices):
        IN_STOCK = "in_stock", "In stock"
        RESERVED = "reserved", "Reserved"
        SOLD = "sold", "Sold"
        ON_MEMO = "on_memo", "On memo"
        IN_REPAIR = "in_repair", "In repair"
        RETURNED_TO_VENDOR = "returned_to_vendor", "Returned to vendor"
        WRITTEN_OFF = "written_off", "Written off"

    sku = models.CharField(
        "SKU",
        max_length=40,
        validators=[SKU_CHARACTERS],
        help_text="Also the barcode printed on the tag.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="pieces"
    )
    metal = models.CharField(max_length=16, choices=Metal.choices)
    fineness = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text="Purity in parts per thousand: 916 for 22K, 750 for 18K, 925 silver.",
    )
    colour = models.CharField(
        "metal colour", max_length=16, choices=MetalColour.choices, blank=True
    )
    gross_weight_g = models.DecimalField(
        "gross weight (g)", validators=POSITIVE, **WEIGHT
    )
    net_weight_g = models.DecimalField(
        "net metal weight (g)",
        validators=POSITIVE,
        help_text="Metal only, without stones.",
        **WEIGHT,
    )
    hallmark = models.CharField(
        max_length=40, blank=True, help_text="HUID or assay office mark."
    )
    size = models.CharField(max_length=20, blank=True, help_text="Ring size etc.")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.IN_STOCK, editable=False
    )
    cost = models.DecimalField(validators=POSITIVE, default=0, **MONEY)
    pricing_mode = models.CharField(
        max_length=8, choices=PricingMode.choices, default=PricingMode.RATE
    )
    tag_price = models.DecimalField(validators=POSITIVE, null=True, blank=True, **MONEY)
    making_charge_type = models.CharField(
        max_length=10,
        choices=MakingChargeType.choices,
        default=MakingChargeType.PERCENT,
    )
    making_charge = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=POSITIVE,
        help_text="Per gram, percent of metal value, or a fixed amount.",
    )
    shown_on_storefront = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The storefront's search (Wagtail search, PostgreSQL's full text). Entries are
    # written by inventory.signals, which skips moves along the ledger.
    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("sku"),
        index.SearchField("description"),
        index.SearchField("search_words"),
        index.AutocompleteField("title"),
        # The search runs over the shop's own pieces (the manager's tenant filter).
        index.FilterField("tenant"),
    ]

    class Meta:
        ordering = ["-created_at"]
        # What a piece cost the shop is for owners and managers, not the counter.
        permissions = [
            ("view_cost", "Can see cost prices"),
            ("write_off_piece", "Can write off pieces"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "sku"], name="piece_sku_unique_per_tenant"
            ),
            models.CheckConstraint(
                condition=models.Q(net_weight_g__lte=models.F("gross_weight_g")),
                name="piece_net_weight_within_gross",
                violation_error_message="Net metal weight cannot exceed gross weight.",
            ),
            models.CheckConstraint(
                condition=~models.Q(pricing_mode="fixed")
                | models.Q(tag_price__isnull=False),
                name="piece_fixed_price_has_tag_price",
                violation_error_message="A fixed-price piece needs a tag price.",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "branch"], name="piece_status"),
            # The storefront's newest pieces, and the newest of a category (a piece
            # page's related pieces, a featured category's cover photo).
            models.Index(fields=["tenant", "-created_at"], name="piece_newest"),
            models.Index(
                fields=["tenant", "category", "-created_at"],
                name="piece_newest_in_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.title}"

    def clean(self):
        super().clean()
        # Before the uniqueness check: "r100" and "R100" are one SKU.
        self.sku = normalized_sku(self.sku or "")
        if (
            self.net_weight_g is not None
            and self.gross_weight_g is not None
            and self.net_weight_g > self.gross_weight_g
        ):
            raise ValidationError(
                {
                    "net_weight_g": (
                        f"Net weight {self.net_weight_g} g exceeds gross weight "
                        f"{self.gross_weight_g} g."
                    )
                }
            )

    def save(self, *args, **kwargs):
        self.sku = normalized_sku(self.sku)
        super().save(*args, **kwargs)

    @property
    def purity(self) -> str:
        return purity_label(self.metal, self.fineness)

    def search_words(self) -> str:
        """What a customer may type besides the title: the category, metal, purity,
        colour, and each stone's kind, origin, shape and certificate lab."""
        words = [
            self.category.name,
            self.get_metal_display(),
            self.purity,
            self.get_colour_display(),
        ]
        for stone in self.stones.all():
            words += [
                stone.get_kind_display(),
                stone.get_origin_display(),
                stone.shape,
                stone.certificate_lab,
            ]
        return " ".join(word for word in words if word)


#: Statuses of a piece that is physically in the shop (reserved pieces included).
ON_HAND = (Piece.Status.IN_STOCK, Piece.Status.RESERVED)


class Stone(TenantOwned, Orderable):
    """A stone set in a piece; the first one listed is the centre stone."""

    class Kind(models.TextChoices):
        DIAMOND = "diamond", "Diamond"
        RUBY = "ruby", "Ruby"
        SAPPHIRE = "sapphire", "Sapphire"
        EMERALD = "emerald", "Emerald"
        PEARL = "pearl", "Pearl"
        OTHER = "other", "Other"

    class Origin(models.TextChoices):
        NATURAL = "natural", "Natural"
        LAB_GROWN = "lab_grown", "Lab-grown"

    class ValueMode(models.TextChoices):
        FIXED = "fixed", "Fixed value"
        PER_CARAT = "per_carat", "Per carat"

    piece = ParentalKey(Piece, on_delete=models.CASCADE, related_name="stones")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    origin = models.CharField(
        max_length=16, choices=Origin.choices, default=Origin.NATURAL
    )
    shape = models.CharField(
        max_length=40, blank=True, help_text="Round, oval, princess…"
    )
    count = models.PositiveSmallIntegerField(default=1)
    carats = models.DecimalField(
        "total carats", validators=POSITIVE, default=0, **WEIGHT
    )
    colour_grade = models.CharField(max_length=20, blank=True, help_text="e.g. G, F")
    clarity_grade = models.CharField(max_length=20, blank=True, help_text="e.g. VS1")
    certificate_lab = models.CharField(max_length=40, blank=True, help_text="GIA, IGI…")
    certificate_number = models.CharField(max_length=40, blank=True)
    value_mode = models.CharField(
        max_length=10, choices=ValueMode.choices, default=ValueMode.FIXED
    )
    value = models.DecimalField(validators=POSITIVE, default=0, **MONEY)

    class Meta(Orderable.Meta):
        indexes = [
            models.Index(fields=["tenant", "certificate_number"], name="stone_cert"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.carats} ct"

    def save(self, *args, **kwargs):
        if self.tenant_id is None and self.piece_id is not None:
            self.tenant_id = self.piece.tenant_id
        super().save(*args, **kwargs)


class PiecePhoto(TenantOwned, Orderable):
    piece = ParentalKey(Piece, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.CASCADE,
        related_name="+",
        # A form may offer, and accept, only the shop's own images.
        limit_choices_to=in_shop_collection,
    )

    class Meta(Orderable.Meta):
        pass

    def save(self, *args, **kwargs):
        if self.tenant_id is None and self.piece_id is not None:
            self.tenant_id = self.piece.tenant_id
        super().save(*args, **kwargs)


class StockUnit(models.TextChoices):
    PIECE = "piece", "Pieces"
    GRAM = "gram", "Grams"
    CARAT = "carat", "Carats"


class StockItem(TenantOwned):
    """Goods kept by quantity, not one by one: identical chains, melee, findings;
    and the old metal the shop buys in (trade-ins), in lots by metal and purity."""

    class Kind(models.TextChoices):
        GOODS = "goods", "Goods for sale"
        OLD_METAL = "old_metal", "Old metal bought in"

    sku = models.CharField("SKU", max_length=40, validators=[SKU_CHARACTERS])
    title = models.CharField(max_length=200)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="stock_items"
    )
    unit = models.CharField(max_length=8, choices=StockUnit.choices)
    metal = models.CharField(max_length=16, choices=Metal.choices, blank=True)
    fineness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    unit_price = models.DecimalField(
        validators=POSITIVE, help_text="Selling price per unit.", **MONEY
    )
    low_stock_threshold = models.DecimalField(
        default=0, validators=POSITIVE, help_text="Alert below this quantity.", **WEIGHT
    )
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        default=Kind.GOODS,
        editable=False,
        help_text="Old metal lots are filled by trade-ins, never sold at the counter.",
    )

    class Meta:
        ordering = ["title"]
        # One name on every screen and in the menu.
        verbose_name = "quantity item"
        verbose_name_plural = "quantity stock"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "sku"], name="stock_item_sku_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.title}"

    def quantity_text(self, quantity: Decimal) -> str:
        """A quantity of this item in its unit: "12", "4.5 g", "0.75 ct"."""
        text = f"{Decimal(quantity).normalize():,f}"
        suffix = {StockUnit.GRAM: " g", StockUnit.CARAT: " ct"}.get(self.unit, "")
        return text + suffix

    def clean(self):
        super().clean()
        self.sku = normalized_sku(self.sku or "")

    def save(self, *args, **kwargs):
        self.sku = normalized_sku(self.sku)
        super().save(*args, **kwargs)


class StockLevel(TenantOwned):
    """How much of an item a branch holds: always the sum of its ledger entries."""

    item = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="levels")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(default=0, **WEIGHT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "item", "branch"], name="stock_level_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="stock_level_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} at {self.branch}: {self.quantity}"


class StockMovement(AppendOnly, TenantOwned):
    """The stock ledger. One row per change of a piece or of an item's quantity at a
    branch; a transfer is two rows (out of one branch, into another)."""

    # Not in Wagtail's reference index ("used by"): a ledger entry is no use of
    # its piece, and indexing each one cost every stock move ~8 ms.
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        TRANSFERRED = "transferred", "Transferred"
        SOLD = "sold", "Sold"
        RETURNED = "returned", "Returned"
        ADJUSTED = "adjusted", "Adjusted"
        RESERVED = "reserved", "Reserved"
        RELEASED = "released", "Released"
        MEMO_OUT = "memo_out", "Memo out"
        MEMO_IN = "memo_in", "Memo in"
        REPAIR_OUT = "repair_out", "Sent for repair"
        REPAIR_IN = "repair_in", "Back from repair"
        VENDOR_OUT = "vendor_out", "Returned to vendor"
        VENDOR_IN = "vendor_in", "Back from vendor"
        WRITTEN_OFF = "written_off", "Written off"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    piece = models.ForeignKey(
        Piece, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    item = models.ForeignKey(
        StockItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    quantity_delta = models.DecimalField(
        help_text="Change of the on-hand quantity at this branch.", **WEIGHT
    )
    reason = models.CharField(max_length=200, blank=True)
    reference = models.CharField(
        max_length=40, blank=True, help_text="Sale number, transfer id, memo…"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(piece__isnull=True) ^ models.Q(item__isnull=True),
                name="movement_is_for_a_piece_or_an_item",
            ),
        ]

    def __str__(self) -> str:
        subject = self.piece or self.item
        return f"{self.get_kind_display()} {subject} {self.quantity_delta:+}"


class StockCount(AppendOnly, TenantOwned):
    """A count of the pieces at a branch, kept as it was taken: who counted, when,
    every SKU scanned in order, and what the count found (queries.CountResult)."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    counted_at = models.DateTimeField(auto_now_add=True)
    scanned = models.JSONField(default=list, help_text="The SKUs, as scanned.")
    found = models.JSONField(
        default=dict, help_text="Counted, missing, misplaced, unexpected, repeated."
    )

    class Meta:
        ordering = ["-counted_at", "-id"]

    def __str__(self) -> str:
        return f"Count at {self.branch}, {self.counted_at:%Y-%m-%d %H:%M}"


_Status, _Kind = Piece.Status, StockMovement.Kind

#: The piece lifecycle: (status, movement) -> the status the movement leaves the
#: piece in. A movement that is not listed for the piece's status is refused
#: (services.move_piece). A new piece is received into stock; a transfer keeps it in
#: stock, at another branch. docs/inventory.md shows this table.
PIECE_TRANSITIONS: dict[tuple[str, str], str] = {
    (_Status.IN_STOCK, _Kind.TRANSFERRED): _Status.IN_STOCK,
    (_Status.IN_STOCK, _Kind.RESERVED): _Status.RESERVED,
    (_Status.RESERVED, _Kind.RELEASED): _Status.IN_STOCK,
    (_Status.IN_STOCK, _Kind.SOLD): _Status.SOLD,
    (_Status.RESERVED, _Kind.SOLD): _Status.SOLD,
    (_Status.SOLD, _Kind.RETURNED): _Status.IN_STOCK,
    (_Status.IN_STOCK, _Kind.MEMO_OUT): _Status.ON_MEMO,
    (_Status.ON_MEMO, _Kind.MEMO_IN): _Status.IN_STOCK,
    (_Status.IN_STOCK, _Kind.REPAIR_OUT): _Status.IN_REPAIR,
    (_Status.IN_REPAIR, _Kind.REPAIR_IN): _Status.IN_STOCK,
    (_Status.IN_STOCK, _Kind.VENDOR_OUT): _Status.RETURNED_TO_VENDOR,
    (_Status.RETURNED_TO_VENDOR, _Kind.VENDOR_IN): _Status.IN_STOCK,
    # A piece entered by mistake (a duplicate, a test) leaves the stock for good;
    # its ledger and history stay.
    (_Status.IN_STOCK, _Kind.WRITTEN_OFF): _Status.WRITTEN_OFF,
}


class MetalRate(AppendOnly, TenantOwned):
    """The price of one gram of the pure metal, in the shop's currency, from a time on.

    The latest row per metal is today's rate; older rows are the history. A wrong rate
    is never edited: a correction, a new row that `corrects` it with the same
    effective time, replaces it for pricing and the charts, and both stay on record.
    """

    metal = models.CharField(max_length=16, choices=Metal.choices)
    rate_per_gram = models.DecimalField(
        "rate per gram (pure)",
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    effective_at = models.DateTimeField()
    source = models.CharField(max_length=60, default="manual")
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
        help_text="The wrong rate this one replaces.",
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_at", "-id"]
        indexes = [
            models.Index(
                fields=["tenant", "metal", "-effective_at"], name="metal_rate_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metal_display()} {self.rate_per_gram}/g"

    @property
    def is_corrected(self) -> bool:
        return hasattr(self, "correction")


class RateFeed(TenantOwned):
    """Where a shop's metal rates come from when they are not entered by hand.

    One per shop. A Celery beat task refreshes the rates from it
    (services/rates.py); see docs/pricing.md for the provider's JSON format and what
    happens on failure.
    """

    url = models.URLField(
        "provider URL",
        blank=True,
        help_text="A JSON rate provider. Leave blank to use the platform's provider.",
    )
    enabled = models.BooleanField(
        default=False, help_text="Fetch rates from the provider every few minutes."
    )
    max_change_percent = models.DecimalField(
        "largest plausible change (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[
            MinValueValidator(Decimal("0.01")),
            MaxValueValidator(Decimal("100")),
        ],
        help_text="A fetched rate that moves more than this from the current rate is "
        "refused and the current rate stays in force; enter it by hand if it is real.",
    )
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="rate_feed_one_per_tenant"),
        ]

    def __str__(self) -> str:
        return f"Rate feed ({self.url or 'platform provider'})"
