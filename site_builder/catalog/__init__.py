"""The catalog: YAML in, a validated model out. Nothing here knows about pages or keys' use."""
