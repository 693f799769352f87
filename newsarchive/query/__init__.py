"""SQL over an archive's JSON lines (DuckDB views), query output and export.

`open_archive(path)` gives an ArchiveDatabase whose connection has the views `articles`,
`listings`, `listing_items`, `captions`, `related` and `runs`.
"""
