"""Whoosh full-text index of passages and the search over it (archive → index → search)."""
