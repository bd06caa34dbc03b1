"""The pipeline engine: model, DAG order, cache keys and the parallel runner."""
