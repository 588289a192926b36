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
    return reserve_record_numbers(module, 1)[0]


def reserve_record_numbers(module, count: int) -> list[str]:
    """Take the next ``count`` numbers of ``module`` at once (an import's chunk), in order, with one locked
    update of the sequence; like ``next_record_number``, the lock lasts as long as the surrounding transaction."""
    with transaction.atomic():
        sequence_for(module)
        sequence = ModuleNumbering.objects.select_for_update().get(module=module.name)
        first = sequence.next_number
        sequence.next_number += count
        sequence.save(update_fields=["next_number"])
    return [f"{sequence.prefix}{number}" for number in range(first, first + count)]
