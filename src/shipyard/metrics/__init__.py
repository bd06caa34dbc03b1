"""DevOps metrics: the plan's KPI table and the four DORA metrics."""
