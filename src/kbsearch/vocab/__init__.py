"""The multilingual concept vocabulary: countries and sectors with their names in every language.

Knows words and concepts; knows nothing of files, indexes or the web.
"""
