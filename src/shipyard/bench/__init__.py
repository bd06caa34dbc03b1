"""Continuous benchmarking: measure, compare with a pooled baseline kept in git, report.

See docs/benchmarking.md. `runner` drives `shipyard bench run`; `verdict` and `changepoint`
hold the statistics, free of I/O.
"""
