"""Reminders, the "what" half: what each kind is about, its words, its delivery and its answers.

``scheduler`` says *when* (the calendar, the policy's timelines, the queue, the clock); this package says
*what*:

- ``kinds``: every reminder kind, typed (``Kind``), with the timeline the policy plans it by;
- ``registry``: how each kind is delivered (a chaser about a subject, a job, a letter) and answered;
- ``queueing``: what the use cases call, in their own transaction, to plan and stop reminders;
- ``subjects``: what a reminder is about and whether it still applies, read when it fires;
- ``messages``: the words of chasers, escalations and blocks; ``digest``: the SENCO's weekly digest;
- ``delivery``: claim what is due, decide from current data, send through the platform seam, mark;
- ``answers``: Done / Need more time / Blocked; ``jobs``: the pack and the poll chase; ``ticks``: what
  the clock runs.
"""
