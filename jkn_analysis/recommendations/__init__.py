"""Recommendations: what the report proposes, and what the analyst decided.

The rules of ``catalogue/rules.yaml`` evaluated on a period's indicators and its history, and
the analyst's decisions and commentary in the period's ``review.yaml``.

Modules
-------
``evidence``
    The objects rules and review share: a triggered rule with its evidence, a recommendation.
``rules``
    The rules file's format; `evaluate` and the projection's fact (`with_projection`).
``rulebook``
    Reading and checking the rules file into a `RuleBook` (`load_rules`).
``conditions``
    A rule's conditions: evaluated in three-valued logic, each leaf wording its evidence.
``evidence_words``
    Evidence as a sentence: per kind of leaf and operator, rises and falls, named thresholds.
``review``
    The review file's format; the decisions applied to the triggered rules (`apply_review`)
    and the draft or final status.
``decisions``
    What a review holds (decisions, added recommendations, commentary) and its outcome.
``review_reading``
    Reading and checking a period's review file (`load_review`).
``review_yaml``
    The YAML loader that keeps the line of every key, for messages.
``commentary``
    The analyst's Markdown as safe HTML (`render_markdown`).
``review_template``
    The review file's skeleton for a period (`write_review_template`).

May import: catalogue, inputs, indicators.
"""
