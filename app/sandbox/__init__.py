"""A sandbox for code the person approved: bubblewrap (``bwrap``) on Linux.

``unavailable_reason()`` says in one line why there is none (not Linux, no bwrap, user
namespaces disabled), or None. ``bwrap`` builds the command line (what the code can see),
``watch`` sums what the whole process tree uses (processes, memory, CPU time, bytes written)
so the limits hold for the tree and not per process. macOS and Windows have no sandbox here;
the README says which path they would take.
"""

from __future__ import annotations

from app.sandbox.bwrap import unavailable_reason

__all__ = ["unavailable_reason"]
