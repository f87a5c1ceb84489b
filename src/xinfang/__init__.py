"""Xinfang: case management for public petition work (信访)."""

__version__ = "0.1.0"
