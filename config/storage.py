"""Media on S3 or any S3-compatible store (AWS, R2, B2, MinIO), chosen by environment.

Used by config.settings.production, and by tests against a local S3 server. Off
(None) unless AWS_STORAGE_BUCKET_NAME is set. Credentials come the usual boto3 ways
(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the instance's role).
"""

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storages(env) -> dict | None:
    """`default` (originals: private, signed URLs) and `renditions` (public, unsigned
    URLs, cached by browsers and CDNs) as STORAGES entries; None if no bucket is set.

    Set WAGTAILIMAGES_RENDITION_STORAGE = "renditions" alongside.
    """
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return None
    common = {
        "bucket_name": bucket,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("AWS_S3_REGION_NAME", default=None),
        # Every region and S3-compatible store accepts v4; some accept nothing else.
        "signature_version": "s3v4",
        # Two uploads named ring.jpg are two files, never one replacing the other.
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "default_acl": "private",
                # Short-lived signed URLs: an original is only readable through Karat.
                "querystring_auth": True,
                "querystring_expire": 3600,
                "object_parameters": {"CacheControl": "private, max-age=3600"},
            },
        },
        "renditions": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": env.str("AWS_RENDITIONS_BUCKET_NAME", default=bucket),
                "location": "renditions",
                # Stores whose buckets have ACLs disabled (AWS's default for new
                # buckets, R2) make renditions/ public by bucket policy or a public
                # bucket instead: set AWS_RENDITIONS_ACL to an empty value there.
                "default_acl": env.str("AWS_RENDITIONS_ACL", default="public-read")
                or None,
                # Unsigned URLs stay valid in cached pages.
                "querystring_auth": False,
                "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
                # A rendition's name encodes its image file and filter, so its
                # content never changes.
                "object_parameters": {"CacheControl": "public, max-age=31536000"},
            },
        },
    }


def rendition_origins(env) -> list[str]:
    """Where the storefront's photos are served from, for its Content Security
    Policy: the renditions' custom domain, the S3-compatible endpoint, or AWS."""
    from urllib.parse import urlsplit

    if domain := env.str("AWS_S3_CUSTOM_DOMAIN", default=""):
        return [f"https://{domain}"]
    if endpoint := env.str("AWS_S3_ENDPOINT_URL", default=""):
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        return ["https://*.amazonaws.com"]
    return []
