"""Which photos the admin takes: the production image carries no HEIF codecs."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import FileInput
from wagtail.images.fields import WagtailImageField


def test_a_heic_upload_is_refused_with_the_formats_that_are_accepted():
    # Willow tells HEIC by its header; no decoder is needed to refuse it.
    heic = SimpleUploadedFile("ring.heic", b"\x00\x00\x00\x18ftypheic" + bytes(64))

    with pytest.raises(ValidationError) as refused:
        WagtailImageField().clean(heic)

    assert refused.value.messages == [
        "Not a supported image format. "
        "Supported formats: AVIF, GIF, JPG, JPEG, PNG, WEBP."
    ]


def test_the_upload_field_does_not_ask_phones_for_heic():
    # With image/heic absent from `accept`, iOS converts a photo to JPEG on upload.
    accept = WagtailImageField().widget_attrs(FileInput())["accept"]

    assert accept.startswith("image/*")
    assert "heic" not in accept
