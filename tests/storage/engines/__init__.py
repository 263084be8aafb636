"""Tests of the query engines over Parquet."""
