"""filmbot: a Discord bot for film clubs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("filmbot")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
