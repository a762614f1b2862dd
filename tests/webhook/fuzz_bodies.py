"""Hypothesis strategies for webhook bodies no platform sends (and some it does): ids of every
type and length, missing parts, text with lone surrogates and NUL, deep nesting, random JSON.
Shared by tests/webhook/test_invalid_updates.py and the longer run in bench/fuzz.py."""

import json

from hypothesis import strategies as st

NASTY = ["\x00", "\ud800", "\udfff", "\u202e", "\x1b", "🙂"]
WORDS = ["' OR 1=1 --", "/bc vneid 3", "/huongdan", "/thamgia AB12CD"]
text = st.one_of(
    st.text(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=40),
    st.sampled_from(WORDS),
    st.builds(lambda word, tail: word + tail, st.sampled_from(WORDS), st.text(max_size=5)),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
odd_ids = st.one_of(
    st.sampled_from(["", "1.5", "' OR 1=1 --", "1000057", "a" * 300, "x\x00y", "\ud800"]),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.integers(min_value=2**63, max_value=2**70),
    text,
    json_values,
)
telegram_ids = st.one_of(st.integers(1, 10**12), st.integers(-(10**13), -1), odd_ids)
zalo_ids = st.one_of(st.text("0123456789abcdef", min_size=16, max_size=20), odd_ids)


def _maybe(value_strategy):
    """A field that may be left out (None here means: drop it)."""
    return st.one_of(st.just(None), value_strategy)


def _drop_none(mapping: dict) -> dict:
    return {key: value for key, value in mapping.items() if value is not None}


@st.composite
def telegram_bodies(draw) -> str:
    """A Telegram update body as text: mostly the real shape with odd parts."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_deep_or_random())
    user = _drop_none(
        {
            "id": draw(telegram_ids),
            "is_bot": draw(_maybe(st.booleans())),
            "first_name": draw(_maybe(text)),
        }
    )
    chat = _drop_none(
        {
            "id": draw(telegram_ids),
            "title": draw(_maybe(text)),
            "type": draw(st.sampled_from(["private", "group", "supergroup", "channel", "other"])),
        }
    )
    message = _drop_none(
        {
            "message_id": draw(telegram_ids),
            "date": draw(st.one_of(st.just(1763880000), odd_ids)),
            "chat": draw(_maybe(st.just(chat))),
            "from": draw(_maybe(st.just(user))),
            "text": draw(_maybe(text)),
        }
    )
    kind = draw(st.sampled_from(["message", "edited_message", "callback_query"]))
    if kind == "callback_query":
        inner = _drop_none(
            {
                "id": draw(text),
                "from": draw(_maybe(st.just(user))),
                "chat_instance": "c",
                "data": draw(_maybe(text)),
                "message": draw(_maybe(st.just(message))),
            }
        )
    else:
        inner = message
    return json.dumps({"update_id": draw(telegram_ids), kind: inner})


@st.composite
def zalo_bodies(draw) -> str:
    """A Zalo webhook body as text: mostly the real shape with odd parts, bare or wrapped."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_deep_or_random())
    name = draw(
        st.one_of(
            st.sampled_from(
                [
                    "message.text.received",
                    "message.image.received",
                    "message.sticker.received",
                    "message.unsupported.received",
                    "message.link.received",
                ]
            ),
            text,
        )
    )
    message = _drop_none(
        {
            "message_id": draw(zalo_ids),
            "date": draw(st.one_of(st.just(1763880000000), odd_ids)),
            "chat": draw(
                _maybe(
                    st.builds(
                        lambda i, k: _drop_none({"id": i, "chat_type": k}), zalo_ids, _maybe(text)
                    )
                )
            ),
            "from": draw(
                _maybe(
                    st.builds(
                        lambda i, n, b: _drop_none({"id": i, "display_name": n, "is_bot": b}),
                        zalo_ids,
                        _maybe(text),
                        _maybe(st.booleans()),
                    )
                )
            ),
            "text": draw(_maybe(text)),
            "photo_url": draw(_maybe(st.one_of(text, json_values))),
        }
    )
    update = {"event_name": name, "message": message}
    wrapped = draw(st.booleans())
    return json.dumps({"ok": True, "result": update} if wrapped else update)


def _deep_or_random():
    deep = st.integers(20, 5000).map(lambda n: '{"a":' * n + "1" + "}" * n)
    return st.one_of(deep, json_values.map(json.dumps), st.just("not json"))
