"""TAC Bot's edges and composition root: settings, CLI, HTTP server and one package per platform."""
