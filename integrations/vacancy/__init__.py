"""Vacancy publishing adapters: HTML and Markdown pages, schema.org JobPosting JSON-LD."""

from integrations.vacancy.jsonld import job_posting, script_json
from integrations.vacancy.render import FORMATS, Format, render_vacancy

__all__ = ["FORMATS", "Format", "job_posting", "render_vacancy", "script_json"]
