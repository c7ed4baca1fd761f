"""A ``review.yaml`` skeleton for a period, to be filled in by the analyst
(`write_review_template`)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from jkn_analysis.catalogue.definitions import LANGUAGES, load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.recommendations.decisions import commentary_sections, review_path
from jkn_analysis.recommendations.evidence import TriggeredRule

TEMPLATE_WORDS: dict[str, dict[str, str]] = messages("review_template")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _yaml_key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) and key.lower() not in _YAML_WORDS else json.dumps(key)


_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in str(text).splitlines() or [""]]


def write_review_template(
    data_dir: Path | str,
    quarter: Quarter | str,
    triggered: list[TriggeredRule],
    language: str = "id",
) -> Path:
    """Write a ``review.yaml`` skeleton for the period and return its path.

    Every triggered rule is listed with ``decision: undecided``, its section, title and
    evidence as comments (in ``language``); ``added`` is empty and ``commentary`` has an empty
    entry per section, in both languages.

    Raises
    ------
    FileExistsError
        When the period already has a review file (it is never overwritten).
    FileNotFoundError
        When the period has no folder in ``data_dir``.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    path = review_path(data_dir, quarter)
    period = path.parent.name
    if not path.parent.is_dir():
        raise FileNotFoundError(f"no folder for {period} in {Path(data_dir).resolve()}")
    catalogue_sections = load_catalogue().sections
    lines = TEMPLATE_WORDS["header"][language].format(period=period).splitlines()
    lines.append("")
    if triggered:
        lines.append("recommendations:")
    else:
        lines += ["recommendations: {}", TEMPLATE_WORDS["none"][language]]
    for rule in triggered:
        spec = catalogue_sections.get(rule.section, {})
        section = f"{spec['number']}. {spec[language]}" if spec else rule.section
        lines.append("")
        lines += _comment(f"{section} — {rule.title[language]}", "  ")
        evidence = rule.evidence.get(language, ())
        if evidence:
            lines += _comment(TEMPLATE_WORDS["evidence"][language], "  ")
            for item in evidence:
                wrapped = textwrap.wrap(item.text, 88) or [""]
                # The threshold's source on lines of its own: the evidence already names the
                # regulation, the source says what it sets.
                if item.source:
                    wrapped += textwrap.wrap(f"({item.source})", 88)
                lines += _comment(f"  - {wrapped[0]}", "  ")
                lines += [line for part in wrapped[1:] for line in _comment(f"    {part}", "  ")]
        lines += _comment(TEMPLATE_WORDS["text"][language], "  ")
        for paragraph in rule.text[language].splitlines():
            for part in textwrap.wrap(paragraph, 90) or [""]:
                lines += _comment("  " + part, "  ")
        lines.append(f"  {_yaml_key(rule.rule_id)}:")
        lines.append("    decision: undecided")
    lines += ["", "added: []"]
    lines += TEMPLATE_WORDS["added"][language].splitlines()
    lines += ["", "commentary:"]
    lines += ["  " + line for line in TEMPLATE_WORDS["commentary"][language].splitlines()]
    for section in commentary_sections():
        spec = catalogue_sections.get(section)
        name = f"{spec['number']}. {spec[language]}" if spec else TEMPLATE_WORDS[section][language]
        lines += [f"  # {name}", f"  {section}:", '    id: ""', '    en: ""']
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    return path
