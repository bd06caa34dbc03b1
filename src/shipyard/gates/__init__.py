"""Quality gates: read the stages' reports, compare them with thresholds, record the results."""
