"""Real update shapes, as the platforms send them, through the adapters' real routes: each must
become the expected neutral Event, or be ignored (acknowledged with 200 and no event).

Sources: the Telegram Bot API reference (https://core.telegram.org/bots/api, objects Update,
Message, MessageOrigin, ChatMemberUpdated, CallbackQuery) and the Zalo Bot API summary
(/work/shared/ZALO_BOT_API.md, from https://bot.zaloplatforms.com/docs/). Each case names the
object or section it is written from.
"""

import itertools
from dataclasses import dataclass

import pytest

from bot.core.events import ChatKind
from tests.fakes.botapi import FakeBotApi
from tests.webhook.harness import (
    NO_API,
    SECRET,
    RecordingService,
    TelegramDriver,
    ZaloDriver,
    asgi_client,
)

_ids = itertools.count(91000)
USER = {"id": 501, "is_bot": False, "first_name": "Trần", "last_name": "Bình"}
PRIVATE = {"id": 501, "type": "private", "first_name": "Trần"}
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Nhóm ấp"}
IGNORED = None


@dataclass(frozen=True)
class Shape:
    """A labelled update: where its shape is written down, the body, the Event's fields."""

    label: str
    source: str
    body: dict
    expect: dict | None


def tg_message(text: str | None = None, chat: dict = PRIVATE, **fields) -> dict:
    """An Update with a Message (Bot API: Update.message, Message)."""
    update_id = next(_ids)
    message = {"message_id": update_id, "date": 1763880000, "chat": chat, "from": USER}
    if text is not None:
        message["text"] = text
    return {"update_id": update_id, "message": {**message, **fields}}


TELEGRAM = [
    Shape(
        "command for another bot in a group",
        "Message.text with a bot_command entity /help@OtherBot",
        tg_message("/help@OtherBot", GROUP),
        IGNORED,
    ),
    Shape(
        "report for another bot in a group",
        "Message.text with a bot_command entity /baocao@OtherBot",
        tg_message("/baocao@OtherBot tuan", GROUP),
        IGNORED,
    ),
    Shape(
        "command for this bot, arguments on the next line",
        "Message.text, a bot_command entity then a newline",
        tg_message("/bc@ToCongNgheBot\nvneid 5 dvc 3", GROUP),
        {"command": ("bc", "vneid 5 dvc 3"), "chat_kind": ChatKind.GROUP},
    ),
    Shape(
        "command for this bot, name in other letter case",
        "Message.text; usernames are case-insensitive",
        tg_message("/bc@tocongnghebot vneid 5", GROUP),
        {"command": ("bc", "vneid 5")},
    ),
]


def forwarded(origin: dict) -> dict:
    return tg_message("/bc vneid 5 dvc 3", forward_origin={"date": 1763870000, **origin})


TELEGRAM += [
    Shape(
        f"forwarded from {kind}",
        f"Message.forward_origin, {name}",
        forwarded({"type": kind, **origin}),
        {"forwarded": True, "text": "/bc vneid 5 dvc 3"},
    )
    for kind, name, origin in [
        ("user", "MessageOriginUser", {"sender_user": {**USER, "id": 777}}),
        ("hidden_user", "MessageOriginHiddenUser", {"sender_user_name": "Lê Văn C"}),
        ("chat", "MessageOriginChat", {"sender_chat": GROUP}),
        (
            "channel",
            "MessageOriginChannel",
            {"chat": {**GROUP, "type": "channel"}, "message_id": 4},
        ),
    ]
] + [
    Shape(
        "own message", "Message without forward_origin", tg_message("vneid 5"), {"forwarded": False}
    )
]


OLD_GROUP = {"id": -4012345678, "type": "group", "title": "Nhóm ấp"}
TELEGRAM += [
    Shape(
        "group upgraded, notice in the old group",
        "Message.migrate_to_chat_id (service message)",
        tg_message(None, OLD_GROUP, migrate_to_chat_id=GROUP["id"]),
        {"chat_id": str(GROUP["id"]), "moved_from": str(OLD_GROUP["id"]), "text": ""},
    ),
    Shape(
        "group upgraded, notice in the new supergroup",
        "Message.migrate_from_chat_id (service message)",
        tg_message(None, GROUP, migrate_from_chat_id=OLD_GROUP["id"]),
        {"chat_id": str(GROUP["id"]), "moved_from": str(OLD_GROUP["id"])},
    ),
]


FORUM = {**GROUP, "is_forum": True}
TELEGRAM += [
    Shape(
        "message in a forum topic",
        "Message.message_thread_id with is_topic_message (forum supergroup)",
        tg_message("/baocao", FORUM, message_thread_id=42, is_topic_message=True),
        {"command": ("baocao", ""), "thread_id": "42"},
    ),
    Shape(
        "reply thread in an ordinary supergroup",
        "Message.message_thread_id without is_topic_message",
        tg_message("/baocao", GROUP, message_thread_id=17),
        {"thread_id": None},
    ),
    Shape(
        "button pressed under a message in a forum topic",
        "CallbackQuery.message in a topic",
        {
            "update_id": next(_ids),
            "callback_query": {
                "id": "cb1",
                "from": USER,
                "chat_instance": "c",
                "data": "day:0",
                "message": {
                    "message_id": 9,
                    "date": 1763880000,
                    "chat": FORUM,
                    "message_thread_id": 42,
                    "is_topic_message": True,
                    "text": "…",
                },
            },
        },
        {"choice": "day:0", "thread_id": "42"},
    ),
]


BOT = {"id": 123456, "is_bot": True, "first_name": "Tổ Công Nghệ", "username": "ToCongNgheBot"}


def my_chat_member(old: str, new: str, chat: dict = GROUP) -> dict:
    """Update.my_chat_member (ChatMemberUpdated): the bot's own status in a chat changed."""
    change = {"chat": chat, "from": USER, "date": 1763880000}
    change["old_chat_member"] = {"user": BOT, "status": old}
    change["new_chat_member"] = {"user": BOT, "status": new}
    if new == "kicked":
        change["new_chat_member"]["until_date"] = 0
    return {"update_id": next(_ids), "my_chat_member": change}


ADMIN_RIGHTS = {
    "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
    "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
    "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
    "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False,
}  # fmt: skip
promoted = my_chat_member("member", "administrator")
promoted["my_chat_member"]["new_chat_member"].update(ADMIN_RIGHTS)
ADDED_KEY = f"bot:in:{GROUP['id']}:1763880000"
TELEGRAM += [
    Shape(
        "bot added to a group",
        "Update.my_chat_member, ChatMemberLeft -> ChatMemberMember",
        my_chat_member("left", "member"),
        {"bot_joined": True, "update_key": ADDED_KEY, "chat_kind": ChatKind.GROUP},
    ),
    Shape(
        "bot removed from a group",
        "Update.my_chat_member, ChatMemberMember -> ChatMemberBanned",
        my_chat_member("member", "kicked"),
        {"bot_joined": False, "chat_id": str(GROUP["id"])},
    ),
    Shape(
        "bot made an admin: still in the group",
        "Update.my_chat_member, ChatMemberMember -> ChatMemberAdministrator",
        promoted,
        IGNORED,
    ),
    Shape(
        "a user blocks the bot in private",
        "Update.my_chat_member in a private chat",
        my_chat_member("member", "kicked", PRIVATE),
        IGNORED,
    ),
    Shape(
        "bot in new_chat_members",
        "Message.new_chat_members (service message)",
        tg_message(None, GROUP, new_chat_members=[BOT]),
        {"bot_joined": True, "update_key": ADDED_KEY},
    ),
    Shape(
        "bot as left_chat_member",
        "Message.left_chat_member (service message)",
        tg_message(None, GROUP, left_chat_member=BOT),
        {"bot_joined": False},
    ),
    Shape(
        "someone else joins",
        "Message.new_chat_members without the bot",
        tg_message(None, GROUP, new_chat_members=[{**USER, "id": 502}]),
        {"bot_joined": None, "text": ""},
    ),
]


ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL = {"id": -1009876543210, "type": "channel", "title": "Kênh xã"}
TELEGRAM += [
    Shape(
        "command from an anonymous group admin",
        "Message.sender_chat = the group itself, from = GroupAnonymousBot",
        tg_message("/baocao", GROUP, **{"from": ANONYMOUS_BOT, "sender_chat": GROUP}),
        {"anonymous": True, "user_id": str(GROUP["id"]), "command": ("baocao", "")},
    ),
    Shape(
        "message posted as a channel",
        "Message.sender_chat = a channel, from = Channel_Bot",
        tg_message("/bc vneid 5", GROUP, sender_chat=CHANNEL),
        {"anonymous": True, "display_name": "Kênh xã"},
    ),
    Shape(
        "a channel post copied into its discussion group",
        "Message.is_automatic_forward with sender_chat",
        tg_message("/bc vneid 5", GROUP, sender_chat=CHANNEL, is_automatic_forward=True),
        IGNORED,
    ),
    Shape(
        "a channel post",
        "Update.channel_post",
        {
            "update_id": next(_ids),
            "channel_post": {"message_id": 5, "date": 1763880000, "chat": CHANNEL, "text": "/bc"},
        },
        IGNORED,
    ),
]


def tg_edited(text: str, chat: dict = PRIVATE) -> dict:
    """Update.edited_message: the message's id and date, new text, edit_date."""
    update = tg_message(text, chat, edit_date=1763880600, message_id=4242)
    return {"update_id": update["update_id"], "edited_message": update["message"]}


TELEGRAM += [
    Shape(
        "an edited report",
        "Update.edited_message (Message with edit_date)",
        tg_edited("/bc vneid 6 dvc 3", GROUP),
        {"edited": True, "message_key": f"{GROUP['id']}:4242", "command": ("bc", "vneid 6 dvc 3")},
    ),
    Shape(
        "an edited chat line: the core decides it changes nothing",
        "Update.edited_message",
        tg_edited("chào cả nhà"),
        {"edited": True, "text": "chào cả nhà"},
    ),
    Shape(
        "a new message knows its own key",
        "Message.message_id within Message.chat",
        tg_message("/bc vneid 5", GROUP, message_id=4242),
        {"edited": False, "message_key": f"{GROUP['id']}:4242"},
    ),
]

# --- Zalo ---------------------------------------------------------------------------------------
ZALO_USER = {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": False}
ZALO_PRIVATE = {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"}
ZALO_GROUP = {"id": "g7c3b1f5e9a2d4c6b8e0f", "chat_type": "GROUP"}
PHOTO = "https://f21-zpc.zdn.vn/jpg/3574552058519415218/6b7d3c8e1f2a.jpg"


def zalo(event: str, chat: dict = ZALO_PRIVATE, sender: dict = ZALO_USER, **fields) -> dict:
    """A bare webhook update (ZALO_BOT_API.md, Webhook: the example update and its fields)."""
    message = {"message_id": f"{next(_ids):020x}", "date": 1750316131602, "chat": chat}
    return {"event_name": event, "message": {**message, "from": sender, **fields}}


def zalo_photo(**fields) -> dict:
    return zalo("message.image.received", caption="buổi hướng dẫn", **fields)


VARIANTS = "ZALO_BOT_API.md, Updates: field variants (OpenClaw monitor.inbound-parsing.test.ts)"
IMAGES = "ZALO_BOT_API.md, Updates: field variants (OpenClaw monitor.image-url.test.ts)"
ZALO = [
    Shape(
        "text in private, the documented example",
        "ZALO_BOT_API.md, Webhook: message.text.received",
        zalo("message.text.received", text="Xin chào"),
        {"text": "Xin chào", "chat_kind": ChatKind.PRIVATE, "display_name": "Ted"},
    ),
    Shape(
        "chat_type in lower case",
        VARIANTS,
        zalo("message.text.received", {**ZALO_GROUP, "chat_type": "group"}, text="@Bot /baocao"),
        {"chat_kind": ChatKind.GROUP, "command": ("baocao", "")},
    ),
    Shape(
        "from.name instead of display_name",
        VARIANTS,
        zalo("message.text.received", sender={"id": "u2", "name": "Lan"}, text="vneid 5"),
        {"display_name": "Lan", "user_id": "u2"},
    ),
    Shape(
        "mention, then the command on the next line",
        "ZALO_BOT_API.md, Limits: group messages start with the @mention",
        zalo("message.text.received", ZALO_GROUP, text="@Tổ Công Nghệ\n/bc\nvneid 5 dvc 3"),
        {"command": ("bc", "vneid 5 dvc 3")},
    ),
    Shape(
        "photo_url",
        "ZALO_BOT_API.md, Webhook: photo_url (SDK)",
        zalo_photo(photo_url=PHOTO),
        {"photo_ref": f"zalo:{PHOTO}", "text": "buổi hướng dẫn"},
    ),
    Shape("photo as a string", IMAGES, zalo_photo(photo=PHOTO), {"photo_ref": f"zalo:{PHOTO}"}),
    Shape(
        "photo as an object with url",
        IMAGES,
        zalo_photo(photo={"url": PHOTO}),
        {"photo_ref": f"zalo:{PHOTO}"},
    ),
    Shape(
        "photo as an object with media_url",
        IMAGES,
        zalo_photo(photo={"media_url": PHOTO}),
        {"photo_ref": f"zalo:{PHOTO}"},
    ),
    Shape(
        "photo as a list",
        IMAGES,
        zalo_photo(photo=[{"url": PHOTO, "width": 800}]),
        {"photo_ref": f"zalo:{PHOTO}"},
    ),
    Shape(
        "image in attachments",
        IMAGES,
        zalo_photo(
            attachments=[
                {"type": "file", "url": "https://x/a.pdf"},
                {"type": "image", "payload": {"url": PHOTO}},
            ]
        ),
        {"photo_ref": f"zalo:{PHOTO}"},
    ),
    Shape(
        "a link with its text",
        "ZALO_BOT_API.md, Updates: message.link.received with link / links[]",
        zalo(
            "message.link.received",
            text="/bc dvc 3 https://dichvucong.gov.vn",
            link={"url": "https://dichvucong.gov.vn"},
        ),
        {"command": ("bc", "dvc 3 https://dichvucong.gov.vn")},
    ),
    Shape(
        "a link alone",
        "ZALO_BOT_API.md, Updates: message.link.received",
        zalo("message.link.received", links=[{"url": "https://dichvucong.gov.vn"}]),
        IGNORED,
    ),
    Shape(
        "voice",
        "ZALO_BOT_API.md, Webhook: message.voice.received (voice_url)",
        zalo("message.voice.received", voice_url="https://zalo.me/v.aac"),
        {"unreadable": True, "text": "", "update_key": "unreadable:6ede9afa66b88fe6d6a9:20258"},
    ),
    Shape(
        "sticker",
        "ZALO_BOT_API.md, Webhook: sticker, url",
        zalo(
            "message.sticker.received", sticker="bfe458bf64fa8da4d4eb", url="https://zalo.me/s.png"
        ),
        {"unreadable": True, "text": ""},
    ),
    Shape(
        "unsupported content",
        "ZALO_BOT_API.md, Webhook: message.unsupported.received",
        zalo("message.unsupported.received"),
        {"unreadable": True},
    ),
    Shape(
        "unsupported without a message",
        "ZALO_BOT_API.md, Webhook: unsupported may lack message",
        {"event_name": "message.unsupported.received"},
        IGNORED,
    ),
]


# --- the runs ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def telegram_api():
    with FakeBotApi("telegram") as api:
        yield api


async def post(driver, api, body: dict, path: str, header: str) -> RecordingService:
    channel = driver.channel(api)
    service = RecordingService(channels={driver.platform: channel})
    async with asgi_client(driver.router, service) as client:
        response = await client.post(path, json=body, headers={header: SECRET})
    await channel.aclose()
    assert response.status_code == 200, response.text
    service.response = response
    return service


def fields_of(service: RecordingService, wanted: dict | None) -> dict | None:
    if not service.events:
        return None
    [(event, _)] = service.events
    return {name: getattr(event, name) for name in wanted or {"text": None}}


@pytest.mark.parametrize("shape", TELEGRAM, ids=[s.label for s in TELEGRAM])
async def test_telegram_shape(shape, telegram_api):
    service = await post(
        TelegramDriver(),
        telegram_api,
        shape.body,
        "/webhook/telegram",
        "X-Telegram-Bot-Api-Secret-Token",
    )
    assert fields_of(service, shape.expect) == shape.expect


@pytest.mark.parametrize("shape", ZALO, ids=[s.label for s in ZALO])
async def test_zalo_shape(shape):
    service = await post(
        ZaloDriver(), NO_API, shape.body, "/webhook/zalo", "X-Bot-Api-Secret-Token"
    )
    assert fields_of(service, shape.expect) == shape.expect
