"""Thin Lambda entry points: parse and shape; the service layer decides."""
