"""The example agreements (YAML) that `make run` drafts and files, shipped as package data."""
