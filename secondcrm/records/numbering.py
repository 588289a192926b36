"""Record numbers per module (ACC1, CON1, ...), allocated inside the saving transaction."""

from django.db import IntegrityError, transaction

from .models import ModuleNumbering


def sequence_for(module) -> ModuleNumbering:
    """The numbering row of ``module``, created with the module's default prefix on first use."""
    try:
        with transaction.atomic():
            return ModuleNumbering.objects.get_or_create(module=module.name, defaults={"prefix": module.number_prefix})[
                0
            ]
    except IntegrityError:  # created concurrently: the row exists now
        return ModuleNumbering.objects.get(module=module.name)


def next_record_number(module) -> str:
    """Take the next number of ``module``. The row lock serializes concurrent creates so no two records
    share a number; the lock is released when the surrounding transaction ends."""
    with transaction.atomic():
        sequence_for(module)
        sequence = ModuleNumbering.objects.select_for_update().get(module=module.name)
        number = f"{sequence.prefix}{sequence.next_number}"
        sequence.next_number += 1
        sequence.save(update_fields=["next_number"])
    return number
