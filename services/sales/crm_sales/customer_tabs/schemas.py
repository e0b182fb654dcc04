from crm_common.counting import counts_out
from crm_sales.customer_tabs.queries import TABS

SalesTabCountsOut = counts_out(TABS, "SalesTabCountsOut")
