"""The console platform: try TAC Bot in a terminal, and drive it from tests like a user would."""
