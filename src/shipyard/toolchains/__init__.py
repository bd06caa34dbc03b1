"""Project detection: which languages a repository uses and the stages it can run."""
