"""``manage.py generate_data --scale N [--seed S]``: realistic, related records at scale, on PostgreSQL.
``--clear`` removes what was generated (before generating again when a scale is given too)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, IntegrityError, connection

from secondcrm.benchdata.generate import SCALE_1, Volumes, clear_data, generate_data


class Command(BaseCommand):
    help = (
        f"Fill the database with a sales team of 50 users and their records. Scale 1 is {SCALE_1.leads:,} leads, "
        f"{SCALE_1.accounts:,} accounts, {SCALE_1.contacts:,} contacts, {SCALE_1.potentials:,} potentials, "
        f"{SCALE_1.comments:,} comments and their Updates history; fractions are allowed (0.01)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, help="How much to generate: 1 is the volumes above.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same records (default 1).")
        parser.add_argument(
            "--clear", action="store_true", help="Remove the generated team and every record it owns first."
        )

    def handle(self, *args, scale, seed, clear, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_data writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database."
            )
        if scale is None and not clear:
            raise CommandError("Say how much to generate with --scale (1 is a million leads), or --clear.")
        try:
            volumes = Volumes.at_scale(scale) if scale is not None else None
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        if clear:
            try:
                clear_data(report=self.stdout.write)
            except IntegrityError as problem:
                raise CommandError(
                    f"Nothing was removed: records that were not generated refer to generated ones ({problem})."
                ) from problem
        if volumes is not None:
            try:
                generate_data(volumes, seed=seed, report=self.stdout.write)
            except (DatabaseError, ValueError) as problem:
                raise CommandError(f"No records were generated: {problem}") from problem
