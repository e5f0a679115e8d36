"""What staff see around every admin screen."""

import re

from tests.factories.tenants import owner_of


def test_avatars_come_from_the_platform_not_an_outside_service(client, aurum):
    client.force_login(owner_of(aurum))

    page = client.get("/admin/").content.decode()

    images = re.findall(r'<img[^>]* src="([^"]+)"', page)
    assert any("default-user-avatar" in src for src in images), images
    assert all(src.startswith("/static/") for src in images), images
    assert "gravatar" not in page
