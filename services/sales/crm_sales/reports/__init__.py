"""The report pack's sales reports (issue 17): the pipeline funnel and forecast, new
opportunities and win rate, deal cycle, signed and sold amounts per period, rankings, product
sales and target completion, read from rollups kept from sales' own events (docs/reports.md)."""
