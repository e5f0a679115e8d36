"""Staff join a shop by invitation: the shop never sees a link or a password, never
learns whether an address has an account, and only the address's holder accepts."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from back_office.tenancy.context import tenant_context
from back_office.tenants.models import Invitation, Membership
from back_office.tenants.services import invite
from tests.factories.tenants import PASSWORD, make_member, owner_of

User = get_user_model()
INVITE = reverse("invitation:add")
LINK = re.compile(r"https?://[^/\s]+(/invitations/[^\s]+/)")


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server")


def _invite(client, email, role="sales"):
    return client.post(INVITE, {"email": email, "role": role})


def _link_sent_to(email) -> str:
    (message,) = [m for m in mail.outbox if m.to == [email]]
    return LINK.search(message.body)[1]


def _members(tenant):
    with tenant_context(tenant):
        return set(Membership.objects.values_list("user__email", "role"))


@pytest.fixture(autouse=True)
def _on_the_platforms_hostname(client):
    # Invitation links point at WAGTAILADMIN_BASE_URL, a platform hostname.
    client.defaults["HTTP_HOST"] = "127.0.0.1"


@pytest.fixture
def owner(client, aurum):
    client.force_login(owner_of(aurum))
    return client


def test_an_invitation_is_emailed_to_the_address_and_the_shop_sees_no_link(
    owner, aurum
):
    response = _invite(owner, "new@aurum.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("invitation:index")
    (message,) = mail.outbox
    assert message.to == ["new@aurum.test"]
    assert "Aurum Jewellers invites you" in message.body
    page = owner.get(reverse("invitation:index")).content.decode()
    assert "new@aurum.test" in page
    assert "Pending" in page
    assert "/invitations/" not in page
    assert ("new@aurum.test", "sales") not in _members(aurum)


def test_the_shop_gets_the_same_answer_whether_or_not_an_address_has_an_account(
    owner, luna
):
    make_member(luna, Membership.Role.SALES, "known@luna.test")

    answers = []
    for email in ["known@luna.test", "unknown@nowhere.test"]:
        response = _invite(owner, email)
        shown = owner.get(response["Location"])
        messages = [
            str(m).strip().replace(email, "EMAIL") for m in shown.context["messages"]
        ]
        answers.append((response.status_code, response["Location"], messages))

    assert answers[0] == answers[1]
    assert answers[0][2] == [
        "Invitation sent to EMAIL. They join as sales once they accept."
    ]
    assert not User.objects.filter(email="unknown@nowhere.test").exists()


def test_a_new_person_chooses_a_password_through_the_link_and_joins(client, aurum):
    with tenant_context(aurum):
        invite(aurum, "new@aurum.test", "manager", by=None)
    link = _link_sent_to("new@aurum.test")

    assert "Choose a password" in client.get(link).content.decode()
    response = client.post(
        link, {"password": "Gold-bars-99", "password_again": "Gold-bars-99"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    user = User.objects.get(email="new@aurum.test")
    assert user.check_password("Gold-bars-99")
    assert ("new@aurum.test", "manager") in _members(aurum)
    assert client.session["active_tenant_id"] == aurum.pk
    # A manager sets up the second step before the back office opens.
    set_up = reverse("tenants_second_factor_set_up")
    assert client.get("/admin/").url.startswith(set_up)
    client.force_login(user)  # both steps
    assert client.get(link).status_code == 410  # used once


def test_a_password_the_validators_refuse_creates_nothing(client, aurum):
    with tenant_context(aurum):
        invite(aurum, "new@aurum.test", "sales", by=None)
    link = _link_sent_to("new@aurum.test")

    response = client.post(link, {"password": "12345678", "password_again": "12345678"})

    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="new@aurum.test").exists()
    assert client.get(link).status_code == 200  # still pending


def test_an_existing_account_accepts_only_when_signed_in_as_the_address(
    client, aurum, luna
):
    invitee = make_member(luna, Membership.Role.SALES, "clerk@luna.test")
    with tenant_context(aurum):
        invite(aurum, "clerk@luna.test", "sales", by=None)
    link = _link_sent_to("clerk@luna.test")

    page = client.get(link).content.decode()
    assert "Sign in as clerk@luna.test" in page
    assert 'name="password"' not in page
    assert (
        client.post(link, {"password": "x", "password_again": "x"}).status_code == 403
    )
    client.force_login(owner_of(aurum))
    assert client.post(link).status_code == 403
    assert ("clerk@luna.test", "sales") not in _members(aurum)
    assert invitee.check_password(PASSWORD)  # nobody could set it

    client.force_login(invitee)
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert ("clerk@luna.test", "sales") in _members(aurum)


def test_the_inviting_shop_never_holds_the_link_or_a_password(client, luna):
    # The pre-hijack: a shop that could set a new hire's password, or see the link
    # that sets it, could sign in as that person once another shop made them owner.
    client.force_login(owner_of(luna))

    answers = [
        client.post(INVITE, {"email": "newhire@aurum.test", "role": "sales"}),
        client.get(reverse("invitation:index")),
    ]
    with tenant_context(luna):
        invitation = Invitation.objects.get(email="newhire@aurum.test")
        stored = str(Invitation.objects.filter(pk=invitation.pk).values())

    token = _link_sent_to("newhire@aurum.test").rstrip("/").rsplit("/", 1)[1]
    assert [m.to for m in mail.outbox] == [["newhire@aurum.test"]]
    for answer in answers:
        assert token not in answer.content.decode() + answer.get("Location", "")
    assert token not in stored  # only its hash is kept
    assert not User.objects.filter(email="newhire@aurum.test").exists()


def test_an_expired_or_withdrawn_link_is_gone_and_changes_nothing(owner, client, aurum):
    _invite(owner, "late@aurum.test")
    _invite(owner, "withdrawn@aurum.test")
    late, withdrawn = (
        _link_sent_to("late@aurum.test"),
        _link_sent_to("withdrawn@aurum.test"),
    )
    with tenant_context(aurum):
        Invitation.objects.filter(email="late@aurum.test").update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        pending = Invitation.objects.get(email="withdrawn@aurum.test")
    response = owner.post(reverse("invitation:delete", args=[pending.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("invitation:index")
    client.logout()

    for link in (late, withdrawn):
        assert client.get(link).status_code == 410
        posted = client.post(
            link, {"password": "Gold-bars-99", "password_again": "Gold-bars-99"}
        )
        assert posted.status_code == 410
    assert not User.objects.filter(
        email__in=["late@aurum.test", "withdrawn@aurum.test"]
    ).exists()


def test_inviting_again_replaces_the_pending_invitation(owner, client, aurum):
    _invite(owner, "twice@aurum.test")
    first = _link_sent_to("twice@aurum.test")
    mail.outbox.clear()
    _invite(owner, "twice@aurum.test", role="manager")
    second = _link_sent_to("twice@aurum.test")

    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
    with tenant_context(aurum):
        assert Invitation.objects.filter(email="twice@aurum.test").count() == 2


def test_a_person_who_already_works_here_is_not_invited_again(owner, aurum):
    make_member(aurum, Membership.Role.SALES, "clerk@aurum.test")

    response = _invite(owner, "Clerk@Aurum.test", role="owner")

    assert response.status_code == 200
    assert (
        "clerk@aurum.test already works for Aurum Jewellers"
        in response.content.decode()
    )
    assert mail.outbox == []
    assert ("clerk@aurum.test", "sales") in _members(aurum)


def test_managers_see_invitations_but_may_not_invite(client, aurum):
    client.force_login(make_member(aurum, Membership.Role.MANAGER))

    assert client.get(reverse("invitation:index")).status_code == 200
    response = _invite(client, "new@aurum.test")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert mail.outbox == []
    with tenant_context(aurum):
        assert not Invitation.objects.exists()


def test_an_invitation_that_cannot_be_emailed_is_not_kept(owner, aurum, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"

    response = _invite(owner, "new@aurum.test")

    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    with tenant_context(aurum):
        assert not Invitation.objects.exists()


def test_staff_cannot_be_added_without_an_invitation(owner):
    assert owner.get("/admin/staff/new/").status_code == 404
