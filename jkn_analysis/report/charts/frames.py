"""A chart's data frame as JSON that reads back exactly, for the chart cache (`cache`).

The report words a chart's text alternative and its CSV download from the frame the chart was
drawn from (``figure.jkn_data``), so a chart taken from the cache must bring back that frame
with the same values, column order, dtypes and index. `frame_record` writes it as plain JSON
(no pickle: a cache file is data, never code) and `frame_from_record` reads it back; a frame
holding something they cannot write exactly gives ``None`` and the chart is simply not kept.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

# The Python types an ``object`` column may hold, by the tag each value is written with.
_OBJECT_TYPES = {"str": str, "bool": bool, "int": int, "float": float}


def _object_value(value: object) -> list | None:
    """One value of an ``object`` column as ``[tag, text]``; ``None`` when it has no tag."""
    if value is None:
        return ["none", None]
    for tag, kind in _OBJECT_TYPES.items():
        if type(value) is kind:
            return [tag, value]
    if type(value) is datetime.date:
        return ["date", value.isoformat()]
    if type(value) is pd.Timestamp and value.tzinfo is None:
        return ["timestamp", value.isoformat()]
    return None


def _object_from(tagged: list) -> object:
    tag, value = tagged
    if tag == "none":
        return None
    if tag == "date":
        return datetime.date.fromisoformat(value)
    if tag == "timestamp":
        return pd.Timestamp(value)
    if type(value) is not _OBJECT_TYPES[tag]:
        raise ValueError(f"a value tagged {tag!r} is a {type(value).__name__}")
    return value


def _column(series: pd.Series) -> dict | None:
    """One column as ``{"name", "dtype", "values"}``, or ``None`` if it cannot be written."""
    dtype = series.dtype
    values: list | None
    if pd.api.types.is_object_dtype(dtype):
        values = [_object_value(value) for value in series]
        if any(value is None for value in values):
            return None
    elif isinstance(dtype, pd.StringDtype):
        values = [None if pd.isna(value) else str(value) for value in series]
    elif isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        values = series.tolist()
    elif isinstance(dtype, np.dtype) and dtype.kind == "M":
        # Whole units of the column's resolution (NaT is the smallest int64), exact as ints.
        values = series.to_numpy().view("int64").tolist()
    else:  # categories, time zones, periods, ...: not needed by any chart so far
        return None
    return {"name": series.name, "dtype": str(dtype), "values": values}


def frame_record(frame: pd.DataFrame) -> dict | None:
    """``frame`` as a JSON-ready dict that `frame_from_record` turns back into an equal frame.

    Returns
    -------
    dict or None
        ``None`` when the frame has something the record cannot keep exactly (an index other
        than a range, column names that are not text, attributes, a dtype or a value of a kind
        not written here), or when reading the record back would not give an equal frame.
    """
    index = frame.index
    if (
        not isinstance(index, pd.RangeIndex)
        or index.name is not None
        or frame.attrs
        or frame.columns.name is not None
        or not all(isinstance(name, str) for name in frame.columns)
        or frame.columns.has_duplicates
    ):
        return None
    columns = [_column(frame[name]) for name in frame.columns]
    if any(column is None for column in columns):
        return None
    record = {
        "index": [index.start, index.stop, index.step],
        "columns_dtype": str(frame.columns.dtype),
        "columns": columns,
    }
    try:
        again = frame_from_record(record)
        pd.testing.assert_frame_equal(again, frame, check_exact=True, check_column_type=True)
    except (AssertionError, TypeError, ValueError):
        return None
    return record


def _series(column: dict, index: pd.RangeIndex) -> pd.Series:
    name, dtype, values = column["name"], column["dtype"], column["values"]
    if not isinstance(name, str) or not isinstance(values, list) or len(values) != len(index):
        raise ValueError("a column's name or length does not fit its frame")
    if dtype == "object":
        values = [_object_from(value) for value in values]
        return pd.Series(values, dtype=object, index=index, name=name)
    resolved = pd.api.types.pandas_dtype(dtype)
    if isinstance(resolved, np.dtype) and resolved.kind == "M":
        moments = np.array(values, dtype="int64").view(resolved)
        return pd.Series(moments, index=index, name=name)
    if isinstance(resolved, pd.StringDtype) or (
        isinstance(resolved, np.dtype) and resolved.kind in "fiub"
    ):
        return pd.Series(values, dtype=resolved, index=index, name=name)
    raise ValueError(f"a column of dtype {dtype!r} is not read back")


def frame_from_record(record: dict) -> pd.DataFrame:
    """The frame `frame_record` wrote.

    Raises
    ------
    ValueError, TypeError, KeyError
        When the record is not one `frame_record` writes (a damaged cache entry).
    """
    start, stop, step = record["index"]
    index = pd.RangeIndex(start, stop, step)
    columns = record["columns"]
    frame = pd.DataFrame(
        {column["name"]: _series(column, index) for column in columns}, index=index
    )
    if len(frame.columns) != len(columns):
        raise ValueError("a column name repeats")
    frame.columns = frame.columns.astype(pd.api.types.pandas_dtype(record["columns_dtype"]))
    return frame
