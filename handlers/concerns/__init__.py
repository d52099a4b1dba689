"""Safeguarding never in the room: `concern` goes only to the Designated Safeguarding Leads."""
