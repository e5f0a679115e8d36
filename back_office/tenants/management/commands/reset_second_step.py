from django.core.management.base import BaseCommand, CommandError

from back_office.tenants import queries
from back_office.tenants.errors import TenantError
from back_office.tenants.services import reset_second_factor


class Command(BaseCommand):
    help = (
        "Turn off the second sign-in step of an account that lost its authenticator "
        "app and its recovery codes; it sets the step up again at its next sign-in. "
        "Check who is asking first: this is how an account would be taken over."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account's sign-in, its email")
        parser.add_argument(
            "--reason", required=True, help="Why, for the shops' history"
        )

    def handle(self, *args, username, reason, **options):
        user = queries.account_named(username)
        if user is None:
            raise CommandError(f"No account signs in as {username}.")
        try:
            reset_second_factor(user, reason=reason)
        except TenantError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"The second step of {user.get_username()} is off.")
