"""Grading review (分级审核): the data authority approves or changes a resource's grade with a reason;
the holder reads the decisions. Service in :mod:`.service`, pages in :mod:`.pages`."""
