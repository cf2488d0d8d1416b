"""Forget the second factor of an account (lost phone and recovery codes): the user enrols again
at their next login. The reset is written to the account's audit log."""

from django.core.management.base import BaseCommand, CommandError

from directory.models import User
from directory.services.second_factor import reset_second_factor


class Command(BaseCommand):
    help = "Reset the two-factor authentication of an account (it enrols again at next login)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Aucun compte pour {email}.")
        reset_second_factor(user=user, by=None)
        self.stdout.write(
            f"Double authentification réinitialisée pour {user.email} : "
            "le compte la configurera à sa prochaine connexion."
        )
