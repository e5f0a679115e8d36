"""The Prometheus metrics of sales: sales completed, voided and returned, refusals
at the counter, and what happens to reservations.

Counted once the change is committed, so a rolled-back attempt counts only as a
refusal. In Gunicorn each worker writes its values to PROMETHEUS_MULTIPROC_DIR and
/metrics sums them (config/gunicorn.py).
"""

from prometheus_client import Counter

RESERVATIONS = Counter(
    "karat_reservations",
    "Reservations by what happened to them: made, extended, cancelled, expired.",
    ["event"],
)
RESERVATIONS_REFUSED = Counter(
    "karat_reservations_refused",
    "Reservations refused to a customer, by the refusal's code (already_reserved: "
    "another customer was first).",
    ["code"],
)
SALES = Counter(
    "karat_sales",
    "Sales by what happened: completed, voided, returned (a return of any part).",
    ["event"],
)
SALES_REFUSED = Counter(
    "karat_sales_refused",
    "Completions refused at the counter, by the refusal's code (already_sold: "
    "another counter sold the piece first; not_covered: payments short).",
    ["code"],
)
