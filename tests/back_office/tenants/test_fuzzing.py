"""Whatever an operator types into a shop's details, or anyone into the second step
of sign-in, the answer is a result or a message, never a server error, and a refusal
changes nothing (strategies in tests/fuzzing.py)."""

from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st
from wagtail.models import Site

from tests.factories.tenants import authenticator_of, owner_of
from tests.fuzzing import FUZZ, nasty, rolled_back

HOSTNAMES = st.lists(
    st.from_regex(r"[a-z0-9.-]{1,20}(:[0-9]{1,6})?", fullmatch=True), max_size=3
).map("\n".join)
SHOP_FIELDS = ["name", "currency", "tax_rate", "timezone", "hostnames"]


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(SHOP_FIELDS), st.one_of(nasty, HOSTNAMES), max_size=3
    )
)
def test_an_operators_shop_edit_is_saved_whole_or_refused(
    client, admin_user, aurum, fields
):
    tenant = aurum
    client.force_login(admin_user)
    details = {
        "name": "Aurum Jewellers",
        "status": "active",
        "currency": "USD",
        "tax_rate": "7.5",
        "timezone": "UTC",
        "hostnames": "aurum.localhost",
        **fields,
    }
    with rolled_back():
        before = Site.objects.filter(root_page=tenant.home_page).count()
        response = client.post(reverse("shops:edit", args=[tenant.pk]), details)

        event(f"answered {response.status_code}")
        assert response.status_code in {200, 302, 400}
        tenant.refresh_from_db()
        sites = Site.objects.filter(root_page=tenant.home_page)
        if response.status_code == 302:
            assert tenant.name == details["name"].strip()
            assert sites.exists()
        else:
            assert tenant.name == "Aurum Jewellers"
            assert sites.count() == before


@FUZZ
@given(code=st.one_of(nasty, st.from_regex(r"[0-9 -]{0,12}", fullmatch=True)))
def test_a_second_step_code_passes_only_when_it_is_right(client, aurum, code):
    owner = owner_of(aurum)
    authenticator_of(owner)
    client.force_login(owner, second_step=False)
    with rolled_back():
        response = client.post(reverse("tenants_second_factor_verify"), {"code": code})

        event(f"answered {response.status_code}")
        assert response.status_code in {200, 400}
        assert client.get("/admin/").status_code == 302  # still at the second step
