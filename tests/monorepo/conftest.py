"""The release tests' real registries (Verdaccio, pypiserver on 127.0.0.1), shared here."""

from tests.release.conftest import pypiserver, verdaccio

__all__ = ["pypiserver", "verdaccio"]
