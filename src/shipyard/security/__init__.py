"""Security scanning: secrets, vulnerable dependencies, code analyzers, licences and SBOM."""
