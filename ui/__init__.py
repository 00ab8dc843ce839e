"""The desktop front end (PySide6): only this package imports Qt, never the core in ``app/``."""
