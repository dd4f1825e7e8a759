"""The project's exception types.

Every message names the input it is about and says what to do, so that the command line can
print it as one line without a traceback.
"""

from __future__ import annotations


class KikuError(Exception):
    """Base class for errors Kiku reports to its user."""


class ConfigError(KikuError):
    """A configuration file, ``--set`` override or option is wrong (exit code 2)."""


class UnknownSummarizerError(ConfigError):
    def __init__(self, name: str, valid: list[str]) -> None:
        self.name = name
        self.valid = valid
        super().__init__(
            f"unknown summarizer {name!r}; choose one of: {', '.join(valid)}"
        )


class InputError(KikuError):
    """An input (file, line, record) cannot be read or is not a usable article."""

    def __init__(self, origin: str, message: str) -> None:
        self.origin = origin
        self.message = message
        super().__init__(f"{origin}: {message}")


class ArticleError(KikuError):
    """An article was read but cannot be processed (empty body, no Japanese text)."""

    def __init__(self, article_id: str, message: str) -> None:
        self.article_id = article_id
        self.message = message
        super().__init__(message)
