"""The public, read-only open-data API under /api/v1/ (issue 10).

Only what is already public leaves through here: the funded portfolio with indicators as
accepted status reports state them, organisations, the bodies with their members' published
names, titles and organisations, and the decisions of approved minutes. No models of its own.
"""
