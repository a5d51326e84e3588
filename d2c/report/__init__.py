"""Rendering a Result: rich terminal report, JSON, and the atomic writer they share."""
