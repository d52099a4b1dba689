"""When reminders go out, knowing nothing of what they say: the school calendar, the chasing policy and the
timelines planned by it, the durable queue in our own table, and APScheduler as the clock that ticks.

Imports only ``storage`` (and APScheduler, holidays, the standard library); what a reminder is about, its
words, delivery and answers live in ``handlers.chasing``.
"""
