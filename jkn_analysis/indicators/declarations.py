"""The catalogue's indicator declarations, resolved to the formulas that compute them.

``figures.yaml`` names each indicator's formula (`jkn_analysis.catalogue.computations` reads
it); the catalogue cannot see the formulas, so the names and parameters are checked here, once
per declaration, before the first period is computed with it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache

from jkn_analysis.catalogue.computations import Computation
from jkn_analysis.catalogue.definitions import Catalogue, CatalogueError
from jkn_analysis.indicators import formulas


@cache
def formula_of(computation: Computation) -> Callable[..., float | str]:
    """The function of `formulas` that ``computation`` names, once its parameters are checked.

    Raises
    ------
    CatalogueError
        When the formula is unknown, or its parameters are not those the declaration gives
        (a parameter with a default may be left out).
    """
    where = f"indicator {computation.indicator!r}"
    function = getattr(formulas, computation.formula, None)
    if (
        computation.formula.startswith("_")
        or not inspect.isfunction(function)
        or function.__module__ != formulas.__name__
    ):
        raise CatalogueError(
            f"{where}: unknown formula {computation.formula!r}; it must be a function of "
            f"{formulas.__name__}"
        )
    parameters = inspect.signature(function).parameters
    given = [name for name, _ in computation.inputs + computation.given]
    unknown = [name for name in given if name not in parameters]
    missing = [
        name
        for name, parameter in parameters.items()
        if name not in given and parameter.default is inspect.Parameter.empty
    ]
    if unknown or missing:
        raise CatalogueError(
            f"{where}: formula {computation.formula!r} takes ({', '.join(parameters)}); "
            + "; ".join(
                part
                for part in (
                    unknown and f"unknown parameters {unknown}",
                    missing and f"missing {missing}",
                )
                if part
            )
        )
    return function


def check_declarations(catalogue: Catalogue) -> None:
    """Resolve every declared computation of ``catalogue``, raising on the first wrong one."""
    for definition in catalogue.indicators.values():
        for computation in definition.computations:
            formula_of(computation)


def breakdown(catalogue: Catalogue, indicator: str, dimension: str) -> dict[str, str]:
    """The values of one breakdown of ``indicator``, each with the figure of its first input,
    in the declared order (``{"total": "active_total", "pbi": "active_pbi", ...}``)."""
    return {
        dict(computation.dimensions)[dimension]: computation.inputs[0][1].code
        for computation in catalogue.indicator(indicator).computations
        if dimension in dict(computation.dimensions)
    }
