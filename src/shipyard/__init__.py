"""shipyard: one pipeline definition, run locally as a cached DAG and in CI at scale."""

__version__ = "0.1.0"
