"""The customers service: one entrypoint mixin per area over the shared plumbing."""
from crm_common.outbox import UnitOfWorkProvider
from crm_common.numbering_rules import NumberingEntrypoints
from crm_common.service_base import ServiceBase
from crm_customers.clients import ApproverClient
from crm_customers.aftersales.entrypoints import CONTRACT_VARIANTS, AftersalesEntrypoints
from crm_customers.contacts.entrypoints import ContactsEntrypoints
from crm_customers.customers.entrypoints import CustomersEntrypoints
from crm_customers.exchange.entrypoints import ExchangeEntrypoints
from crm_customers.fields.entrypoints import FieldsEntrypoints
from crm_customers.groups.entrypoints import GroupsEntrypoints
from crm_customers.housekeeping.entrypoints import HousekeepingEntrypoints
from crm_customers.interactions.entrypoints import InteractionsEntrypoints
from crm_customers.money_picture.entrypoints import MoneyPictureEntrypoints
from crm_customers.pool.entrypoints import PoolEntrypoints
from crm_customers.pool.handlers import PoolHandlers
from crm_customers.profile.entrypoints import ProfileEntrypoints
from crm_customers.relations.entrypoints import RelationsEntrypoints
from crm_customers.reports.entrypoints import ReportsEntrypoints
from crm_customers.team.entrypoints import TeamEntrypoints
from crm_customers.workbench.entrypoints import WorkbenchEntrypoints


class CustomersService(CustomersEntrypoints, ProfileEntrypoints, ContactsEntrypoints, RelationsEntrypoints,
                       InteractionsEntrypoints, AftersalesEntrypoints, PoolEntrypoints, PoolHandlers,
                       HousekeepingEntrypoints, FieldsEntrypoints, GroupsEntrypoints, ExchangeEntrypoints,
                       ReportsEntrypoints,
                       MoneyPictureEntrypoints, WorkbenchEntrypoints, TeamEntrypoints, NumberingEntrypoints, ApproverClient, ServiceBase):
    name = "customers"
    uow = UnitOfWorkProvider()
    contract_variants = CONTRACT_VARIANTS
