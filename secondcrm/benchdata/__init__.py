"""Realistic CRM data at scale for benchmarks and demonstrations: ``manage.py generate_data --scale N``.

A team of 50 users across a role tree, then accounts, contacts, potentials and leads with their comments and
Updates history, written with PostgreSQL COPY and reproducible by seed. The modules are reached through the
registry, so this app imports no CRM app."""
