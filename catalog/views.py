"""The storefront's views: the catalogue's routes (listing, piece, reserve), the
shop's brand stylesheet and robots.txt. Thin: reads come from catalog.queries and
catalog.listing, the reservation from sales.services.

Pages a shared cache may keep (every GET but the reserve form) set no cookie and
never read the session, so they do not vary on Cookie.
"""

import ipaddress

from django import forms
from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from back_office.inventory.models import normalized_sku
from back_office.sales import queries as sales_queries
from back_office.sales import services as sales
from back_office.sales.errors import SalesError, SalesErrorCode
from back_office.tenants.models import Branch
from catalog import listing as catalog_listing
from catalog import queries, structured_data
from catalog.shop_data import shop_data
from catalog.sitemaps import ShopSitemap
from catalog.templatetags.storefront import rendition_url

# Reservation attempts one address may make in an hour: enough for a family, too
# few to lock a shop's stock.
RESERVE_ATTEMPTS_PER_HOUR = 10
# All the shop's storefront reservations in an hour: whoever sends them, the stock
# cannot be locked wholesale.
SHOP_RESERVATIONS_PER_HOUR = 100


def _render(request, page, template, context, status=200):
    context = {"page": page, "self": page, "request": request, **context}
    return TemplateResponse(request, template, context, status=status)


def listing(request, page):
    data = shop_data(request)
    selection = catalog_listing.parse(request.GET, data)
    found = catalog_listing.listing(selection, data.rates)
    params = request.GET.copy()
    params.pop("page", None)
    return _render(
        request,
        page,
        "catalog/catalog_page.html",
        {
            "listing": found,
            "selection": selection,
            "sorts": [
                (key, label) for key, (label, _) in catalog_listing.SORTS.items()
            ],
            "query_without_page": params.urlencode(),
            "crumbs": (crumbs := _crumbs(request, page)),
            "breadcrumbs": structured_data.breadcrumbs(crumbs, _base(request)),
        },
    )


def piece(request, page, sku):
    canonical = normalized_sku(sku)
    if canonical != sku:
        return redirect(page.piece_url(canonical, request), permanent=True)
    rates = shop_data(request).rates
    found, related = queries.piece_and_related(sku, rates)
    if found is None:
        raise Http404("No such piece on show.")
    if found.status == found.Status.SOLD:
        return _render(
            request,
            page,
            "catalog/piece_sold.html",
            {"sold": found, "similar": related},
            status=410,
        )
    priced = queries.priced(found, rates)
    url = request.build_absolute_uri(page.piece_url(sku, request))
    photos = found.photos.all()
    share_image = rendition_url(photos[0].image, "share") if photos else ""
    if share_image:
        share_image = request.build_absolute_uri(share_image)
    crumbs = _crumbs(request, page, found.title, page.piece_url(sku, request))
    shop_name = _shop_name(request)
    return _render(
        request,
        page,
        "catalog/piece_page.html",
        {
            "piece": found,
            "priced": priced,
            "related": related,
            "reserve_url": page.get_url(request)
            + page.reverse_subpage("reserve", kwargs={"sku": sku}),
            "canonical_url": url,
            "share_image": share_image,
            "description": _description(found, shop_name),
            "crumbs": crumbs,
            "breadcrumbs": structured_data.breadcrumbs(crumbs, _base(request)),
            "product_data": structured_data.product(
                found, priced.breakdown, url, share_image, shop_name
            ),
        },
    )


def _base(request) -> str:
    return request.build_absolute_uri("/")


def _shop_name(request) -> str:
    return shop_data(request).branding.display_name or request.tenant.name


def _description(piece, shop_name: str) -> str:
    text = " ".join(piece.description.split())
    if len(text) > 155:
        text = text[:154].rsplit(" ", 1)[0] + "…"
    return text or f"{piece.title}, {piece.purity}, at {shop_name}."


def _crumbs(request, page, *last) -> list[dict]:
    crumbs = [
        {"name": "Home", "url": "/"},
        {"name": page.title, "url": page.get_url(request)},
    ]
    if last:
        crumbs.append({"name": last[0], "url": last[1]})
    return crumbs


class ReserveForm(forms.Form):
    name = forms.CharField(max_length=120, label="Your name")
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    branch = forms.ModelChoiceField(
        queryset=Branch.objects.none(),
        label="Collect at",
        empty_label=None,
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        label="Message for the shop",
    )
    # Left empty by people; filled by bots that fill every field.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, piece, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.order_by("name")
        self.fields["branch"].initial = piece.branch_id
        self.fields["phone"].help_text = "Or an email below: one of them is enough."

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("email")) and not self.has_error("email"):
            raise forms.ValidationError(
                "Give a phone number or an email, so the shop can reach you."
            )
        return data


def _sender(request) -> str:
    """Who is sending, as a limit counts them: the client's address, or for IPv6
    its /64 (one subscriber's network: each device there has its own address)."""
    found = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"
    try:
        address = ipaddress.ip_address(found)
    except ValueError:
        return found
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _over_the_limit(request) -> bool:
    key = f"storefront:reserve-attempts:{request.tenant.pk}:{_sender(request)}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between the two calls
        attempts = 1
    return attempts > RESERVE_ATTEMPTS_PER_HOUR


def reserve(request, page, sku):
    rates = shop_data(request).rates
    found, _related = queries.piece_and_related(sku, rates)
    if found is None or found.status == found.Status.SOLD:
        raise Http404("No such piece on show.")
    form = ReserveForm(request.POST or None, piece=found)
    status = 200
    if request.method == "POST":
        if _over_the_limit(request):
            form.add_error(
                None,
                "Too many reservations from your address just now. Please call "
                "the shop, or try again in an hour.",
            )
            status = 429
        elif sales_queries.reservations_in_last_hour() >= SHOP_RESERVATIONS_PER_HOUR:
            form.add_error(
                None,
                "The shop is taking a great many reservations just now. Please "
                "call it, or try again later.",
            )
            status = 429
        elif form.is_valid() and form.cleaned_data["website"]:
            # A bot filled the field people leave empty: nothing is made.
            form.add_error(None, "Your reservation could not be sent.")
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                reservation = sales.reserve_piece(
                    found,
                    branch=data["branch"],
                    customer_name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    message=data["message"],
                )
            except SalesError as error:
                field = {"customer_name": "name"}.get(error.field, error.field)
                form.add_error(field if field in form.fields else None, error.message)
                status = 409 if error.code == SalesErrorCode.ALREADY_RESERVED else 400
            else:
                confirmation = page.reverse_subpage(
                    "reserved", kwargs={"sku": sku, "reference": reservation.reference}
                )
                return redirect(page.get_url(request) + confirmation)
        else:
            status = 400
    return _render(
        request,
        page,
        "catalog/reserve_page.html",
        {
            "piece": found,
            "priced": queries.priced(found, rates),
            "form": form,
            "hold_hours": sales_queries.sales_policy().reservation_hold_hours,
            "available": found.status == found.Status.IN_STOCK,
        },
        status=status,
    )


def reserved(request, page, sku, reference):
    reservation = queries.reservation(reference)
    if reservation is None or reservation.piece.sku != sku:
        raise Http404("No such reservation.")
    response = _render(
        request,
        page,
        "catalog/reserved_page.html",
        {"reservation": reservation, "hold": sales_queries.describe_hold(reservation)},
    )
    # The confirmation is the customer's alone: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def brand_stylesheet(request):
    """The shop's colours as CSS properties: a stylesheet, not an inline style, so
    the Content Security Policy needs no 'unsafe-inline'."""
    if request.tenant is None:
        raise Http404
    branding = shop_data(request).branding
    css = (
        ":root{"
        f"--brand:{branding.brand_colour};"
        f"--accent:{branding.accent_colour};"
        f"--accent-dark:{branding.accent_dark}"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def sitemap(request):
    """The shop's pages and every piece on show, with when each last changed."""
    if request.tenant is None:
        raise Http404
    return django_sitemap(request, sitemaps={"shop": ShopSitemap(request)})


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/"]
    if request.tenant is not None:
        lines += ["Allow: /", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    else:
        lines.append("Disallow: /")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
@never_cache
def receipt_check(request, token):
    """What a receipt's QR code opens: the sale's number, date and total, from the
    signed token, on the sale's own shop's site only, and nothing else."""
    if request.tenant is None:
        raise Http404
    sale = sales_queries.sale_of_token(token, request.tenant)
    if sale is None:
        raise Http404("No such receipt.")
    return TemplateResponse(
        request,
        "catalog/receipt_check.html",
        {
            "sale": sale,
            "completed": sales_queries.on_shop_clock(sale.completed_at, request.tenant),
            "voided": sale.status == sale.Status.VOIDED,
            "returned": sales_queries.returned_in_full(sale),
        },
    )
