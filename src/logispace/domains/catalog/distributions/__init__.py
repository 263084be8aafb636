"""Distributions (数据分发) and open data (数据开放): uploaded data stored as Parquet, its versions,
previews and downloads.

:mod:`.service` ingests and reads the versions; :mod:`.api` uploads, previews and downloads.
"""
