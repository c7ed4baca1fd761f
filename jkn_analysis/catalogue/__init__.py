"""The catalogue: what the pack knows before it reads any data.

The figure and indicator definitions with their units, bounds and report sections
(``figures.yaml``, read by `definitions`), and how each indicator is computed from which
figures (declared there too, read by `computations`); the recommendation rules, scenarios and policy
calendar as YAML beside them; the report's wording in Indonesian and English (``text.yaml``);
reporting periods (`periods`); reading Indonesian numbers and the one rounding rule, half up
(`numbers`); and numbers written as Indonesians read them, through Babel (`formatting`).

May import: nothing of the pack.
"""
