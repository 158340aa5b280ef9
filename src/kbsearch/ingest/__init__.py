"""Ingestion: files → RawDocument (readers) → Document (extraction).

Knows file formats, languages and the vocabulary; never imports Whoosh or Flask.
"""
