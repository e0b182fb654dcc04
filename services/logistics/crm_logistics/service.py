"""The logistics service: one entrypoint mixin per area over the shared plumbing."""
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.department_moves import FollowsDepartmentMoves
from crm_common.handovers import FollowsHandOvers
from crm_common.outbox import UnitOfWorkProvider
from crm_common.numbering_rules import NumberingEntrypoints
from crm_common.service_base import ServiceBase
from crm_logistics.carriers.entrypoints import CarriersEntrypoints
from crm_logistics.db import Base
from crm_logistics.field_service.entrypoints import FieldServiceEntrypoints
from crm_logistics.handover import handed_over
from crm_logistics.returns.entrypoints import ReturnsEntrypoints
from crm_logistics.shipping.entrypoints import ShippingEntrypoints


class LogisticsService(ShippingEntrypoints, CarriersEntrypoints, ReturnsEntrypoints, FieldServiceEntrypoints,
                       FollowsCustomerMerges, FollowsDepartmentMoves, FollowsHandOvers, NumberingEntrypoints, ServiceBase):
    name = "logistics"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    department_tables = Base.metadata  # paths rewritten when a department moves
    uow = UnitOfWorkProvider()
    handed_over = staticmethod(handed_over)  # a departing user's open work (crm_common.handovers)
