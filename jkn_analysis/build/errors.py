"""What a failed build says: its errors, naming the step, and their words in both languages.

A `BuildError` names the step that failed (``notebook (en)``, ``data checks``) and its cause in
one line; `UnsafeOutputError` refuses an output folder before anything is touched and
`DataCheckError` carries what the data check found. Their texts are the ``build`` messages
(``catalogue/messages/build.yaml``), registered with the validation messages.
"""

from __future__ import annotations

import re

from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.validation import (
    MESSAGES,
    ValidationResult,
    format_validation,
    register_messages,
)

# Texts of the build's refusals and faults, in Indonesian and English, in the style of
# `jkn_analysis.inputs.validation.MESSAGES` (where they are registered); {placeholders} come from
# the error's ``values``.
BUILD_MESSAGES: dict[str, dict[str, str]] = messages("build")
register_messages(BUILD_MESSAGES)


def message(key: str, language: str, **values: object) -> str:
    """The text of a `BUILD_MESSAGES` (or any registered) message in ``language``."""
    return MESSAGES[key][language].format(**values)


class BuildError(RuntimeError):
    """A build step failed; ``step`` names it and the message gives the one-line cause.

    ``key`` and ``values``, when given, name a registered message for `describe`, so that the
    command line can say the cause in the language of the build.
    """

    def __init__(self, step: str, cause: str, *, key: str = "", values: dict | None = None):
        super().__init__(f"{step}: {cause}")
        self.step = step
        self.cause = cause
        self.key = key
        self.values = values or {}

    def describe(self, language: str) -> str:
        """The cause in ``language`` (the English or raw cause when it has no message)."""
        return message(self.key, language, **self.values) if self.key else self.cause

    def step_words(self, language: str) -> str:
        """The step in ``language`` (``pemeriksaan data`` for ``data checks``)."""
        return step_words(self.step, language)


# A step of one edition: "notebook (en)".
_EDITION_STEP = re.compile(r"^(?P<step>.+) \((?P<edition>[a-z]{2})\)$")


def step_words(step: str, language: str) -> str:
    """A `BuildError.step` code worded in ``language``; an unknown step as it is."""
    match = _EDITION_STEP.match(step)
    base, edition = (match["step"], match["edition"]) if match else (step, "")
    key = f"build.step.{base}"
    if key not in MESSAGES:
        return step
    words = message(key, language)
    return (
        message("build.step.edition", language, step=words, edition=edition) if edition else words
    )


class UnsafeOutputError(BuildError):
    """The output folder is refused before anything is touched (it is or holds the data
    folder, holds files the pack did not write, or cannot be written)."""

    def __init__(self, key: str, **values: object):
        super().__init__("output folder", message(key, "en", **values), key=key, values=values)


class DataCheckError(BuildError):
    """The data check failed: ``result`` holds what `jkn_analysis.indicators.checks.data_check`
    found and ``cause`` the same text ``jkn-report validate`` prints, in the build's language."""

    def __init__(self, result: ValidationResult, language: str):
        super().__init__("data checks", format_validation(result, language, show_missing=False))
        self.result = result


def one_line(error: BaseException) -> str:
    """The cause of a failure in one line (papermill errors carry the kernel's exception)."""
    name = getattr(error, "ename", None) or type(error).__name__
    value = getattr(error, "evalue", None) or str(error)
    first = value.strip().splitlines()[0] if value.strip() else ""
    return f"{name}: {first}" if first else name
