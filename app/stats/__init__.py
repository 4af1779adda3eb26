"""Figures for the dashboard and the yearly statistics."""
