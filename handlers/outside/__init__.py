"""People outside the workspace: invited by e-mail, reached by e-mail, answering on the portal."""
