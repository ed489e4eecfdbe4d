"""The web UI: server-rendered pages (Jinja2) with small ES modules, served from the package."""

from letterboxd_stats.web.pages import install

__all__ = ["install"]
