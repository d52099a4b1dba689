"""Microsoft Teams through botbuilder-python: everything Teams-specific lives in this package only."""
