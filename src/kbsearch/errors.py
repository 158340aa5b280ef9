"""The errors kbsearch reports to its users; each carries what the user needs to fix the cause."""


class KbsearchError(Exception):
    """Base of every error kbsearch raises on purpose."""


class IngestError(KbsearchError):
    """A file that could not be read, with its path and a reason a person can act on."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InvalidParameter(KbsearchError):
    """A user-supplied parameter with a value kbsearch cannot accept."""

    def __init__(self, name: str, value: object, reason: str = "invalid value"):
        super().__init__(f"{name}={value!r}: {reason}")
        self.name = name
        self.value = value
        self.reason = reason


class IndexMissing(KbsearchError):
    """No usable index where one was expected; says which command builds it."""

    def __init__(self, index_dir: object, problem: str = ""):
        if problem:
            message = (f"the index in {index_dir} {problem}: rebuild it with "
                       f"`kbsearch index SOURCE... --index {index_dir} --rebuild`")
        else:
            message = (f"no index in {index_dir}: build it with "
                       f"`kbsearch index SOURCE... --index {index_dir}`")
        super().__init__(message)
        self.index_dir = index_dir


class IndexLocked(KbsearchError):
    """Another indexing run holds the index; a second one would corrupt nothing but must wait."""

    def __init__(self, index_dir: object, holder: str):
        super().__init__(f"{index_dir} is being indexed by {holder}; try again when it is done")
        self.index_dir = index_dir


class IndexingFailed(KbsearchError):
    """An indexing run that could not finish (a worker process died or failed); nothing of
    it was published, so the previous index is still the one searched."""

    def __init__(self, index_dir: object, reason: str):
        super().__init__(f"indexing {index_dir} failed, the previous index is unchanged: "
                         f"{reason}")
        self.index_dir = index_dir
        self.reason = reason
