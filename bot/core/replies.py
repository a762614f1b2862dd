"""What the core hands back: neutral replies, and how a channel without buttons shows them."""

from dataclasses import asdict, dataclass

from bot import texts


@dataclass(frozen=True)
class Choice:
    label: str
    data: str


# «Hủy» in any flow: the router ends whichever flow is open on this choice (bot.router)
CANCEL = Choice(texts.BTN_CANCEL, "cancel")


@dataclass(frozen=True)
class Attachment:
    """A file the core made; bytes stay in the `media` table, the reply carries its id."""

    media_id: str
    filename: str
    content_type: str


@dataclass(frozen=True)
class Reply:
    """One message to one chat.

    `chat_id` None means "the chat the event came from"; `private_to` sends to a user's private chat.
    `thread_id`: the topic of a forum group it answers in (the event's `thread_id`).
    `notice`: shown only to who pressed the button, as the press's answer, never as a message.
    """

    text: str = ""
    choices: tuple[Choice, ...] = ()
    image: Attachment | None = None
    document: Attachment | None = None
    request_contact: bool = False
    chat_id: str | None = None
    private_to: str | None = None
    thread_id: str | None = None
    notice: bool = False

    def to_payload(self) -> dict:
        """What the outbox row stores (spelled out: `asdict` deep-copies, ten times slower)."""
        payload = {
            "text": self.text,
            "choices": [{"label": c.label, "data": c.data} for c in self.choices],
            "image": asdict(self.image) if self.image else None,
            "document": asdict(self.document) if self.document else None,
            "request_contact": self.request_contact,
        }
        if self.thread_id:
            payload["thread_id"] = self.thread_id
        return payload

    @classmethod
    def from_payload(cls, data: dict) -> "Reply":
        return cls(
            text=data.get("text", ""),
            choices=tuple(Choice(**c) for c in data.get("choices", ())),
            image=Attachment(**data["image"]) if data.get("image") else None,
            document=Attachment(**data["document"]) if data.get("document") else None,
            request_contact=data.get("request_contact", False),
            thread_id=data.get("thread_id"),
        )


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line breaks where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a message: cut it hard
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def numbered(reply: Reply) -> str:
    """The text of a reply with its choices as a numbered list, for channels without buttons."""
    if not reply.choices:
        return reply.text
    lines = [f"{number}. {choice.label}" for number, choice in enumerate(reply.choices, start=1)]
    count = len(reply.choices)
    first = ", ".join(map(str, range(1, count)))
    options = "1" if count == 1 else texts.NUMBERED_OR.format(first=first, last=count)
    if count > 4:
        options = texts.NUMBERED_ANY.format(count=count)
    return "\n".join([reply.text, *lines, texts.NUMBERED_PROMPT.format(options=options)])
