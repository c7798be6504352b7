"""The web service: Swedish pages for registrars and coordinators, and a JSON API under /api/."""

from samverkan.web.app import create_app

__all__ = ["create_app"]
