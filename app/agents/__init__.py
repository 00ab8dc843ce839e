"""Agents: generators of events over shared tools, approval gate and models."""
