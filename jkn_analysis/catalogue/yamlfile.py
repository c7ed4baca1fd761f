"""Reading the pack's YAML (catalogue, wording, rules, scenarios, calendar): one function.

`load_yaml` parses with libyaml (``yaml.CSafeLoader``) where PyYAML was built with it: the
catalogue, the wording and the rules are files of some thousand lines each, and the
pure-Python parser spent 1-2 s of every build on them (measured in the build benchmark), in
the command line and again in the kernel, in JupyterLab and in the preview. The C parser feeds
the same safe constructor and resolver, so the documents come out the same. A malformed
document is parsed again by the pure-Python parser, so that its error message (line and
column, as the pack's messages quote it) reads as it always did.
"""

from __future__ import annotations

import yaml

_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def load_yaml(text: str):
    """The YAML document in ``text``, as ``yaml.safe_load`` gives it (only safe types).

    Raises
    ------
    yaml.YAMLError
        For a malformed document, worded by PyYAML's Python parser.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # parsed again below, for the Python parser's wording of the error
    return yaml.safe_load(text)
