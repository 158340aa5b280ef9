"""Search: user queries → ranked hits, facets and suggestions over the index.

Knows Whoosh and the vocabulary; knows nothing of HTTP. No Whoosh object leaves this package.
"""
