"""Smart Agent core: the Qt-free engine shared by the GUI, the CLI and the HTTP API."""

__version__ = "0.1.0"
