"""Inputs: a period's data files, found, read and checked figure by figure.

Period folders and their files (`folders`); a CSV file or an XLSX workbook read as cells
(`spreadsheets`); a table's rows checked and converted into figure records (`rows`), with the month
a figure is given at when it is not the quarter's end (`as_of`); the
steps put together for a period and for all of them (`loading`); the
data checks and their messages, naming file, row and figure (`validation`), and the pandera
schema of a file as read (`schema`); the checked figures
of every period, looked up by code and period (`figures`); the data-entry workbook of a new
quarter (`workbook`); where the data, the outputs and the pack's cache are (`paths`); and small
answers remembered in that cache by the hash of what they depend on (`memo`).

May import: catalogue.
"""
