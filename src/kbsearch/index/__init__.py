"""The Whoosh index: analysis, schema and the on-disk store.

Knows Whoosh and the Document model; knows nothing of queries from users or of the web.
"""
