"""kbsearch: multilingual search over an export-promotion agency's knowledge base."""

import os

__version__ = "0.1.0"

# kbsearch runs one process per core (indexing workers, server workers). numpy's BLAS would
# start a thread per core inside each of them, and those threads spin waiting for work: with
# language detection's matrix products, indexing 2,000 documents took 35 s instead of 23.
# Set before any kbsearch module imports numpy; spawned workers inherit it. An explicit
# setting in the environment wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
