"""Agreement model, templates and rendering to DOCX and PDF/A (template → draft)."""
