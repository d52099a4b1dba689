"""Slack: Bolt for Python in the aiohttp server, two pure translators and the ChatPlatform."""
