"""The *Open form* button: one shape wherever a form is offered (a request's DM, its chasers, replies).

Its action ``form.open`` is handled by ``handlers.forms.interactions``; the value is the request's id.
"""

from __future__ import annotations

from handlers.replies import Button, Buttons


def open_form_button(request_id: int) -> Button:
    return Button("Open form", "form.open", str(request_id), style="primary")


def open_form(request_id: int) -> Buttons:
    """A row with the one *Open form* button."""
    return Buttons((open_form_button(request_id),))
