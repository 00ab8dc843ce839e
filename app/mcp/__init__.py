"""Model Context Protocol: other servers' tools as Smart Agent tools, and Smart Agent as a
server (``smart-agent mcp serve``). Qt-free; the ``mcp`` SDK is imported only when a server
starts, so the app's start-up does not pay for it."""
