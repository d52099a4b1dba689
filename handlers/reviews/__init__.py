"""Review meetings: fixing a date (directly or by poll), invitations (.ics), the pack, the minutes."""
