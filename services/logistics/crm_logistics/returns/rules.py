"""Receiving returned goods: never more per line than the return allows. Pure."""
from crm_common.statemachine import StateMachine

EXPECTED, PARTIAL, RECEIVED = "expected", "partially_received", "received"
STATUSES = (EXPECTED, PARTIAL, RECEIVED)
# receiving leads to `received` once every line is in; until then the return stays partial
GOODS_RETURN = StateMachine("goods return", {"receive": ({EXPECTED, PARTIAL}, RECEIVED)})


def over_received_lines(still_expected_by_line: dict, requested: list) -> dict:
    """Errors keyed like marshmallow's nested-list errors; `requested` is [(order_line_id, quantity)]."""
    errors = {}
    for index, (line_id, quantity) in enumerate(requested):
        if line_id not in still_expected_by_line:
            errors[index] = {"order_line_id": ["Not a line of this return."]}
        elif quantity > still_expected_by_line[line_id]:
            errors[index] = {"quantity": [f"Exceeds the {still_expected_by_line[line_id]} still expected."]}
    return errors

