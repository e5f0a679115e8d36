"""Staff sign-in: the password, the lockout after repeated failures, the second step
(an authenticator app's code or a recovery code), and the history each shop keeps of
its staff's sign-ins."""

from binascii import unhexlify
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from wagtail.models import ModelLogEntry

from back_office.tenants.admin.second_factor import PENDING_KEY
from back_office.tenants.errors import TenantError
from back_office.tenants.models import Membership
from back_office.tenants.services import set_up_second_factor
from tests.factories.tenants import (
    PASSWORD,
    authenticator_of,
    code_now,
    fresh_code,
    make_member,
    owner_of,
    shop_history,
)

User = get_user_model()
LOGIN = "/admin/login/"
VERIFY = reverse("tenants_second_factor_verify")
SET_UP = reverse("tenants_second_factor_set_up")


def _password(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _actions(tenant, **filters) -> list[str]:
    return [action for action, _, _ in shop_history(tenant, **filters)]


def _recovery_codes(response) -> list[str]:
    return list(response.context["codes"])


class TestPassword:
    def test_staff_sign_in_with_their_password_and_a_new_session(self, client, aurum):
        authenticator_of(owner_of(aurum))
        client.get(LOGIN)
        before = (
            client.cookies["sessionid"].value if "sessionid" in client.cookies else ""
        )

        response = _password(client, "owner@aurum.test")

        assert response.status_code == 302
        assert client.cookies["sessionid"].value != before


class TestLockout:
    def test_five_wrong_passwords_pause_signing_in_with_a_clear_message(
        self, client, aurum
    ):
        for _ in range(4):
            assert _password(client, "owner@aurum.test", "wrong").status_code == 200

        fifth = _password(client, "owner@aurum.test", "wrong")
        right = _password(client, "owner@aurum.test")

        assert fifth.status_code == right.status_code == 429
        page = right.content.decode()
        assert "Sign-in paused" in page
        assert "5 wrong passwords" in page
        assert "15 minutes" in page
        assert "_auth_user_id" not in client.session

    def test_the_lockout_holds_for_the_account_from_every_address(self, client, aurum):
        for attempt in range(5):
            _password(client, "Owner@aurum.test", "wrong", address=f"10.0.1.{attempt}")

        response = _password(client, "owner@aurum.test", address="10.0.2.1")

        assert response.status_code == 429

    def test_the_lockout_holds_for_the_address_on_every_account(self, client, aurum):
        for attempt in range(5):
            _password(client, f"guess{attempt}@aurum.test", "wrong")

        response = _password(client, "owner@aurum.test")

        assert response.status_code == 429
        assert (
            _password(client, "owner@aurum.test", address="10.9.9.9").status_code == 302
        )

    def test_someone_elses_good_sign_in_does_not_wipe_the_count(self, client, aurum):
        make_member(aurum, Membership.Role.SALES)
        for _ in range(4):
            _password(client, "owner@aurum.test", "wrong")
        # The guesser signs in as himself from the same address, and out again.
        assert _password(client, "sales@aurum.test").status_code == 302
        client.post(reverse("wagtailadmin_logout"))

        fifth = _password(client, "owner@aurum.test", "wrong")

        assert fifth.status_code == 429

    def test_a_client_cannot_choose_its_address_with_a_header(self, client, aurum):
        for attempt in range(5):
            client.post(
                LOGIN,
                {"username": f"guess{attempt}@aurum.test", "password": "wrong"},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
            )

        assert _password(client, "owner@aurum.test").status_code == 429

    def test_behind_nginx_the_address_is_the_one_nginx_forwards(
        self, client, aurum, settings
    ):
        settings.KARAT_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
        for _ in range(5):
            client.post(
                LOGIN,
                {"username": "guess@aurum.test", "password": "wrong"},
                REMOTE_ADDR="172.18.0.5",  # nginx
                HTTP_X_FORWARDED_FOR="198.51.100.7",
            )

        (attempt,) = AccessAttempt.objects.all()
        assert attempt.ip_address == "198.51.100.7"
        other_client = client.post(
            LOGIN,
            {"username": "owner@aurum.test", "password": PASSWORD},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.8",
        )
        assert other_client.status_code == 302

    def test_the_pause_ends_after_the_cool_off(self, client, aurum):
        for _ in range(5):
            _password(client, "owner@aurum.test", "wrong")
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.get().attempt_time
            - timedelta(minutes=16)
        )

        assert _password(client, "owner@aurum.test").status_code == 302

    def test_an_operator_lifts_a_lockout_early(self, client, aurum):
        for _ in range(5):
            _password(client, "owner@aurum.test", "wrong")

        call_command("axes_reset_username", "owner@aurum.test")

        assert _password(client, "owner@aurum.test").status_code == 302

    def test_the_shop_sees_the_failures_and_one_lockout(self, client, aurum):
        for _ in range(7):
            _password(client, "owner@aurum.test", "wrong")

        actions = _actions(aurum)
        assert actions.count("tenants.locked_out") == 1
        assert 4 <= actions.count("tenants.sign_in_failed") <= 5
        (failed, *_) = shop_history(aurum, action="tenants.sign_in_failed")
        assert failed[2] is None  # nobody signed in did it

    def test_a_guess_at_an_unknown_account_is_in_no_shops_history(self, client, aurum):
        _password(client, "nobody@aurum.test", "wrong")

        assert "tenants.sign_in_failed" not in _actions(aurum)


class TestSecondStepRequired:
    def test_an_owner_sets_it_up_before_the_back_office_opens(self, client, aurum):
        owner = owner_of(aurum)
        _password(client, "owner@aurum.test")

        sent = client.get("/admin/snippets/inventory/piece/")
        page = client.get(sent["Location"])
        key = unhexlify(client.session[PENDING_KEY])
        wrong = client.post(SET_UP, {"code": "000000"})
        turned_on = client.post(SET_UP, {"code": code_now(key)})

        assert sent.status_code == 302
        assert (
            sent["Location"]
            == f"{SET_UP}?next=%2Fadmin%2Fsnippets%2Finventory%2Fpiece%2F"
        )
        assert "<svg" in page.content.decode()
        assert "not the code your app shows" in wrong.content.decode()
        assert turned_on.status_code == 200
        codes = _recovery_codes(turned_on)
        assert len(codes) == len(set(codes)) == 10
        assert "no-store" in turned_on["Cache-Control"]
        assert TOTPDevice.objects.get(user=owner).bin_key == key
        assert client.get("/admin/snippets/inventory/piece/").status_code == 200
        assert "tenants.second_factor.enrolled" in _actions(aurum, user=owner)

    def test_an_owner_of_one_shop_needs_it_in_every_shop(self, client, aurum, luna):
        both = make_member(aurum, Membership.Role.OWNER, email="both@shops.test")
        make_member(luna, Membership.Role.SALES, email="both@shops.test")
        client.force_login(both, second_step=False)

        assert client.get("/admin/").url.startswith(SET_UP)

    def test_managers_need_it(self, client, aurum):
        make_member(aurum, Membership.Role.MANAGER)

        _password(client, "manager@aurum.test")

        assert client.get("/admin/").url.startswith(SET_UP)

    def test_operators_need_it(self, client, admin_user):
        client.force_login(admin_user, second_step=False)

        assert client.get("/admin/").url.startswith(SET_UP)

    def test_sales_staff_may_sign_in_with_their_password_alone(self, client, aurum):
        make_member(aurum, Membership.Role.SALES)

        _password(client, "sales@aurum.test")

        assert client.get("/admin/").status_code == 200
        assert client.get(SET_UP).status_code == 200  # and may turn it on


class TestSecondStepOn:
    @pytest.fixture
    def app(self, aurum):
        return authenticator_of(owner_of(aurum))

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/",
            "/admin/snippets/inventory/piece/",
            "/admin/api/main/images/",
            "/admin/tag-autocomplete/?term=a",
            "/admin/shop/switch/",
            "/admin/account/",
            SET_UP,
        ],
    )
    def test_a_password_alone_opens_nothing(self, client, app, path):
        _password(client, "owner@aurum.test")

        response = client.get(path)

        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)

    def test_a_password_alone_changes_nothing(self, client, aurum, app):
        _password(client, "owner@aurum.test")

        response = client.post(
            "/admin/branch/new/", {"name": "Harbour", "code": "HBR", "address": ""}
        )

        assert response["Location"] == VERIFY
        assert "wagtail.create" not in _actions(aurum)

    def test_the_apps_code_completes_the_sign_in_with_a_new_session(self, client, app):
        _password(client, "owner@aurum.test")
        between = client.cookies["sessionid"].value

        response = client.post(
            VERIFY,
            {"code": fresh_code(app), "next": "/admin/snippets/inventory/piece/"},
        )

        assert response["Location"] == "/admin/snippets/inventory/piece/"
        assert client.cookies["sessionid"].value != between
        assert client.get("/admin/snippets/inventory/piece/").status_code == 200

    def test_a_code_works_once(self, client, app):
        _password(client, "owner@aurum.test")
        code = fresh_code(app)
        client.post(VERIFY, {"code": code})
        client.post(reverse("wagtailadmin_logout"))
        _password(client, "owner@aurum.test")

        replayed = client.post(VERIFY, {"code": code})

        assert replayed.status_code == 200
        assert "not valid" in replayed.content.decode()

    def test_a_wrong_code_makes_the_next_try_wait(self, client, aurum, app):
        _password(client, "owner@aurum.test")

        wrong = client.post(VERIFY, {"code": "000000"})
        right_too_soon = client.post(VERIFY, {"code": fresh_code(app)})

        # In the messages at the top: the sign-in look hides errors beside fields.
        message = '<li class="error">That code is not valid.</li>'
        assert message in wrong.content.decode()
        assert "Too many wrong codes" in right_too_soon.content.decode()
        assert client.get("/admin/").status_code == 302
        assert "tenants.second_factor.failed" in _actions(aurum)

    def test_the_next_link_stays_on_the_site(self, client, app):
        _password(client, "owner@aurum.test")

        response = client.post(
            VERIFY, {"code": fresh_code(app), "next": "https://evil.test/"}
        )

        assert response["Location"] == "/admin/"

    def test_a_new_app_replaces_the_old_one_only_with_a_code_of_the_old(
        self, client, aurum, app
    ):
        client.force_login(app.user)  # both steps passed: a session left open
        client.get(SET_UP)
        key = unhexlify(client.session[PENDING_KEY])

        refused = client.post(SET_UP, {"code": code_now(key), "current_code": "1"})
        old_key = TOTPDevice.objects.get(user=app.user).bin_key
        replaced = client.post(
            SET_UP, {"code": code_now(key), "current_code": fresh_code(app)}
        )

        assert "Your current app&#x27;s code" in refused.content.decode()
        assert old_key == app.bin_key
        assert replaced.status_code == 200  # the new recovery codes
        assert TOTPDevice.objects.get(user=app.user).bin_key == key

    def test_the_service_itself_refuses_a_replacement_without_it(self, aurum, app):
        key = default_key()

        with pytest.raises(TenantError, match="current app"):
            set_up_second_factor(app.user, key, code_now(unhexlify(key)))
        assert TOTPDevice.objects.get(user=app.user).pk == app.pk


class TestRecoveryCodes:
    @pytest.fixture
    def codes(self, client, aurum):
        _password(client, "owner@aurum.test")
        client.get(SET_UP)
        key = unhexlify(client.session[PENDING_KEY])
        codes = _recovery_codes(client.post(SET_UP, {"code": code_now(key)}))
        client.post(reverse("wagtailadmin_logout"))
        return codes

    def test_a_recovery_code_signs_in_once(self, client, aurum, codes):
        _password(client, "owner@aurum.test")
        used = client.post(VERIFY, {"code": codes[0].upper()})
        client.post(reverse("wagtailadmin_logout"))
        _password(client, "owner@aurum.test")
        again = client.post(VERIFY, {"code": codes[0]})

        assert used["Location"] == "/admin/"
        assert "not valid" in again.content.decode()
        assert StaticToken.objects.count() == 9
        assert shop_history(aurum, action="tenants.second_factor.recovery_code_used")

    def test_new_recovery_codes_replace_the_old(self, client, aurum, codes):
        client.force_login(owner_of(aurum))
        renew = reverse("tenants_recovery_codes")

        refused = client.post(renew, {"code": "000000"})
        renewed = _recovery_codes(client.post(renew, {"code": codes[1]}))

        assert refused["Location"] == reverse("tenants_second_factor")
        assert set(renewed).isdisjoint(codes)
        assert set(StaticToken.objects.values_list("token", flat=True)) == set(renewed)


class TestOperatorReset:
    def test_an_operator_resets_a_lost_second_step_with_a_reason(self, client, aurum):
        owner = owner_of(aurum)
        authenticator_of(owner)

        call_command(
            "reset_second_step", "owner@aurum.test", reason="Lost phone, ID checked"
        )

        assert not TOTPDevice.objects.filter(user=owner).exists()
        # The old password no longer signs in: the person proves the mailbox with
        # "Forgotten password?", then sets the second step up again.
        assert _password(client, "owner@aurum.test").status_code == 200
        owner.refresh_from_db()
        owner.set_password("a new one from the reset link")
        owner.save()
        _password(client, "owner@aurum.test", "a new one from the reset link")
        assert client.get("/admin/").url.startswith(SET_UP)
        assert shop_history(aurum, action="tenants.second_factor.reset")

    def test_a_reset_needs_a_reason_and_an_account(self, aurum):
        authenticator_of(owner_of(aurum))

        with pytest.raises(CommandError, match="Say why"):
            call_command("reset_second_step", "owner@aurum.test", reason=" ")
        with pytest.raises(CommandError, match="No account"):
            call_command("reset_second_step", "nobody@aurum.test", reason="x")
        assert TOTPDevice.objects.exists()


class TestHistory:
    def test_a_sign_in_is_kept_by_every_shop_the_account_works_for(
        self, client, aurum, luna
    ):
        both = make_member(aurum, Membership.Role.MANAGER, email="both@shops.test")
        make_member(luna, Membership.Role.SALES, email="both@shops.test")

        _password(client, "both@shops.test", address="203.0.113.9")

        assert "tenants.signed_in" in _actions(aurum, user=both)
        assert "tenants.signed_in" in _actions(luna, user=both)

    def test_an_operators_sign_in_is_in_the_platforms_log(self, client, admin_user):
        client.force_login(admin_user)

        assert ModelLogEntry.objects.filter(
            action="tenants.signed_in", object_id=str(admin_user.pk)
        ).exists()
