"""govkg: a linked-data knowledge graph of government data sharing and opening."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("govkg")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
