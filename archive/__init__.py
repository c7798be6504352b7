"""The watched inbox, the immutable versioned store and text extraction (signed file → archive)."""
