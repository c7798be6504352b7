"""The agreement templates (.docx), shipped as package data; build.py is how they were made."""
