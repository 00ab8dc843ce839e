"""Benchmarks: scripts run by hand or by make, and modules they share."""
