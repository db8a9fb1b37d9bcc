"""Chinese for what geo says (the layer reader's notes, the network cache's lines): each is a
:class:`~geo.messages.Message`, rendered from its code and parameters by :func:`planning.i18n.say`."""

from __future__ import annotations

from geo.messages import Message
from planning.i18n import say


def note_zh(message: str | Message) -> str:
    """The Chinese of a note geo said (a :class:`~geo.messages.Message`); "" for a plain English sentence, which has
    none (the English then stands in)."""
    if isinstance(message, Message):
        return say(message, "zh")
    return ""
