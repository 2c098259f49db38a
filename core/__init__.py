"""The floor every app stands on and no domain owns: PDF rendering, table reading, file-type
sniffing, spreadsheet exports' formula neutralising, money and date formats, memoised fragments,
the degrading cache, shared validators. It imports no app of the portal (pyproject.toml)."""
