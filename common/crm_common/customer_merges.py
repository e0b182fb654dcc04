"""When two customers are merged (CUS-11), every other service re-points its references.

Mix `FollowsCustomerMerges` into a service and set `customer_tables` to its models' metadata:
every table there with a `customer_id` column moves from the merged-away customer to the survivor,
once per event (the handler is idempotent like every other).
"""
from sqlalchemy import MetaData, UniqueConstraint, delete, exists, select, update

from crm_common.events.handlers import handles


def repoint(session, metadata: MetaData, column: str, old: str, new: str) -> int:
    moved = 0
    for table in metadata.sorted_tables:
        if column not in table.c:
            continue
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and column in constraint.columns:
                # the survivor already has this row (e.g. both were leads of one campaign): keep its own
                twin = table.alias()
                same = [twin.c[c.name] == table.c[c.name] for c in constraint.columns if c.name != column]
                session.execute(delete(table).where(table.c[column] == old, exists(
                    select(twin.c[column]).where(twin.c[column] == new, *same))))
        moved += session.execute(update(table).where(table.c[column] == old).values({column: new})).rowcount
    return moved


class FollowsCustomerMerges:
    customer_tables: MetaData

    @handles("customers.customer_merged")
    def on_customer_merged(self, uow, envelope, data):
        repoint(uow.session, self.customer_tables, "customer_id", data["source_id"], data["target_id"])
