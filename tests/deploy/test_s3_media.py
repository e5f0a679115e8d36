"""Media on S3 (config/storage.py) against moto's S3 server on loopback, through real
boto3 and django-storages: upload in the Wagtail admin, render, fetch over HTTP."""

import io
import urllib.error
import urllib.request

import boto3
import environ
import pytest
from django.core.files.storage import storages
from django.template import Context, Template
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.images import get_image_model

from back_office.tenancy.context import tenant_context
from config.storage import s3_storages
from tests.deploy.conftest import free_port
from tests.factories.tenants import make_tenant, owner_of

BUCKET = "karat-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """Settings as production builds them from these environment variables."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",  # noqa: S105
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, **s3_storages(environ.Env())}
    settings.WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
    # Django resolves a field's storage once, when models load; production sets
    # WAGTAILIMAGES_RENDITION_STORAGE before that, so do here what it would do then.
    rendition_file = get_image_model().get_rendition_model()._meta.get_field("file")
    monkeypatch.setattr(rendition_file, "storage", storages["renditions"])
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _png(name: str) -> io.BytesIO:
    data = io.BytesIO()
    PILImage.new("RGB", (80, 60), "gold").save(data, "PNG")
    data.seek(0)
    data.name = name
    return data


@pytest.fixture
def shop(db):
    return make_tenant("aurum")


@pytest.fixture
def owner(client, shop):
    client.force_login(owner_of(shop))
    return client


def _upload(owner, title: str, filename: str):
    response = owner.post(
        "/admin/images/add/", {"title": title, "file": _png(filename)}
    )
    assert response.status_code == 302, response.content[:2000]
    return get_image_model().objects.get(title=title)


def _get(url: str):
    return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - the local S3 server


def test_admin_upload_goes_to_s3_and_rendition_is_public_and_cacheable(s3, owner, shop):
    with tenant_context(shop):
        image = _upload(owner, "Gold ring", "ring.png")
        html = Template(
            "{% load wagtailimages_tags %}{% image img fill-40x40 %}"
        ).render(Context({"img": image}))
        rendition = image.get_rendition("fill-40x40")

    assert rendition.url in html
    assert "Signature" not in rendition.url
    with _get(rendition.url) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000"
    key = rendition.file.name
    assert s3.head_object(Bucket=BUCKET, Key=f"renditions/{key}")


def test_original_is_refused_to_anonymous_requests_but_served_signed(s3, owner, shop):
    with tenant_context(shop):
        image = _upload(owner, "Pendant", "pendant.png")
    signed_url = image.file.url
    # moto checks object ACLs on unsigned requests, as S3, MinIO and B2 do.
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(signed_url.split("?", 1)[0])

    assert refused.value.code == 403
    assert "X-Amz-Signature" in signed_url
    with _get(signed_url) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "private, max-age=3600"


def test_same_filename_twice_keeps_both_files(s3, owner, shop):
    with tenant_context(shop):
        first = _upload(owner, "Ring one", "ring.png")
        second = _upload(owner, "Ring two", "ring.png")

    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}

    assert first.file.name != second.file.name
    assert {first.file.name, second.file.name} <= keys
