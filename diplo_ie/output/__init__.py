"""Events out: JSON lines, CSV, PLOVER records, text tables and HTML."""
