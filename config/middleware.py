import ipaddress
import re
import uuid

from django.conf import settings
from django.http import HttpResponseBadRequest

from config.logging import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
# Accept the proxy's id only when it looks like one, so a client cannot inject log text.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")


class RequestIdMiddleware:
    """Give each request an id (nginx's, if it sent one) for logs and the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = (
            incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        )
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware
        # chain returns, and those lines need the id too. The next request sets its own.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RejectNulBytesMiddleware:
    """Refuse, with 400, a request whose query string or form carries a NUL byte.

    No text a person types holds one, and PostgreSQL refuses it in any string: left
    alone it reaches a query (an admin search, the tag autocomplete) and fails there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [*request.GET.lists()]
        if request.method == "POST":
            fields += request.POST.lists()
        for key, values in fields:
            if "\x00" in key or any("\x00" in value for value in values):
                return HttpResponseBadRequest("A NUL byte is not allowed in a request.")
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The address a request came from, for the sign-in lockout and the audit log.

    Behind nginx every request comes from nginx: the client's address is in the
    header it sets (KARAT_CLIENT_IP_HEADER), which it overwrites, so a client cannot
    choose it. The last entry counts should another proxy in front append to it.
    """
    header = settings.KARAT_CLIENT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    address = forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
