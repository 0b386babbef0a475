"""Business actions on cases, one module per case type."""
