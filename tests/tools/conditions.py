"""The condition rows of a saved filter's or an advanced search's form, as a browser posts them."""


def condition_rows(conditions=(), rows: int = 3) -> dict[str, str]:
    """The formset's fields for ``conditions`` ((field, operator, value) each) in at least ``rows`` rows."""
    data = {
        "conditions-TOTAL_FORMS": str(max(rows, len(conditions))),
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "10",
    }
    for index, (field, operator, value) in enumerate(conditions):
        data |= {
            f"conditions-{index}-field": field,
            f"conditions-{index}-operator": operator,
            f"conditions-{index}-value": value,
        }
    return data
