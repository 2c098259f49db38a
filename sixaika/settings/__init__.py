"""Settings: ``base`` is the embedded default, ``test`` and ``production`` override it."""
