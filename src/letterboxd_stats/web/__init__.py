"""The web UI: server-rendered pages (Jinja2) with small ES modules, served from the package."""

from letterboxd_stats.web.pages import mount_static, router

__all__ = ["mount_static", "router"]
