"""Tools: the registry, the approval gate and one module per built-in tool."""
