"""The portal: the web pages behind the personal links e-mailed to members outside the workspace."""
