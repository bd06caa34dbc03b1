"""Monitoring: checks that raise alerts, and their delivery with de-duplication."""
