"""The web front end and JSON API over the search layer.

Knows Flask, templates and HTTP parameters; never builds Whoosh queries (the engine does).
"""
