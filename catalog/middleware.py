"""The storefront's Content Security Policy: everything from the site itself (photos
also from the media origin), no inline script or style, no framing by others.

The admin is left to Wagtail (its editor needs inline styles); so are responses
that are not HTML pages.
"""

from django.conf import settings

NOT_STOREFRONT = ("/admin/", "/documents/")


def policy() -> str:
    images = " ".join(["'self'", "data:", *settings.KARAT_STOREFRONT_IMAGE_ORIGINS])
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {images}",
            "style-src 'self'",
            "script-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = policy()

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(NOT_STOREFRONT) and response.get(
            "Content-Type", ""
        ).startswith("text/html"):
            response.setdefault("Content-Security-Policy", self.policy)
        return response
