"""Recognise agreements the project did not write: extracted text → agreement model."""
