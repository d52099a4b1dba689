"""Reminders: policies on the school calendar, a durable queue in our own table, APScheduler as the clock."""
