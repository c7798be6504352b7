"""samverkan: draft, archive and search Swedish samverkansöverenskommelser."""

__version__ = "0.1.0"
