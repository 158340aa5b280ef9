"""kbsearch: multilingual search over an export-promotion agency's knowledge base."""

__version__ = "0.1.0"
