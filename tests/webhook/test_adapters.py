"""Every channel adapter passes the same labelled cases (tests/webhook/harness.py): raw payload
-> Event, Reply -> what the platform receives, platform error -> neutral send failure."""

import pytest

from bot.core.channel import SendError
from bot.core.replies import Reply, numbered
from tests.fakes.botapi import FakeBotApi
from tests.webhook.harness import (
    CHOICES,
    DRIVERS,
    IMAGE,
    INCOMING,
    MEDIA,
    NO_API,
    REFUSALS,
    WORKBOOK,
    Delivered,
    Driver,
    RecordingService,
    asgi_client,
    event_fields,
    expected_event,
    long_text,
)

CHANNELS = list(DRIVERS)


@pytest.fixture(scope="module")
def apis():
    """One fake server of each flavor for the module; each test starts with no calls recorded."""
    with FakeBotApi("telegram") as telegram, FakeBotApi("zalo") as zalo:
        yield {"telegram": telegram, "zalo": zalo}


@pytest.fixture(params=CHANNELS)
def plain_driver(request) -> Driver:
    driver = DRIVERS[request.param]()
    if not driver.remote:  # the web chat reads and writes the database: empty it first
        request.getfixturevalue("db")
    return driver


@pytest.fixture
async def driver(plain_driver) -> Driver:
    await plain_driver.prepare()
    return plain_driver


@pytest.fixture
def api(driver, apis):
    api = apis.get(driver.flavor)
    if api is not None:
        api.clear()
    return api


@pytest.fixture
async def channel(driver, api):
    channel = driver.channel(api)
    yield channel
    await channel.aclose()


# --- raw payload -> Event -------------------------------------------------------------------------
@pytest.mark.parametrize("case", INCOMING, ids=[case.label for case in INCOMING])
async def test_payload_becomes_event(driver, case):
    if case.needs and not getattr(driver.capabilities, case.needs):
        pytest.skip(f"{driver.platform} lacks {case.needs}")
    request = driver.request(case.said)
    if request is None:
        pytest.skip(f"{driver.platform} cannot express: {case.label}")
    channel = driver.channel(NO_API)  # the Telegram route decodes with its Bot; nothing is sent
    service = RecordingService(channels={driver.platform: channel})
    path, headers, body = request
    async with asgi_client(driver.router, service) as client:
        response = await client.post(path, json=body, headers=headers)
    await channel.aclose()
    assert response.status_code == 200, response.text
    if case.expect is None:
        assert service.events == []
        return
    [(event, capabilities)] = service.events
    assert capabilities == driver.capabilities
    assert event.update_key
    wanted = expected_event(driver, case)
    assert event_fields(event, wanted) == wanted


async def test_a_wrong_secret_is_refused(driver):
    """A remote platform proves itself with the secret it was given (the local page has none)."""
    if not driver.remote:
        pytest.skip(f"{driver.platform} is reached from this machine only")
    path, headers, body = driver.request(INCOMING[0].said)
    service = RecordingService(channels={driver.platform: None})
    async with asgi_client(driver.router, service) as client:
        response = await client.post(path, json=body, headers=dict.fromkeys(headers, "wrong!"))
    assert response.status_code == 401
    assert service.events == []


# --- Reply -> what the platform receives ----------------------------------------------------------
async def test_plain_text(driver, api, channel):
    await channel.send(driver.user_id, Reply("Xin chào"), {})
    assert await driver.delivered(api, driver.user_id) == [Delivered(text="Xin chào")]


async def test_long_text_is_split_at_the_channel_limit(driver, api, channel):
    limit = driver.capabilities.max_text
    text = long_text(limit)
    await channel.send(driver.user_id, Reply(text), {})
    pieces = [message.text for message in await driver.delivered(api, driver.user_id)]
    assert len(pieces) == 3
    assert all(len(piece) <= limit for piece in pieces)
    assert "\n".join(pieces) == text


async def test_choices_as_buttons_or_a_numbered_list(driver, api, channel):
    reply = Reply("Ghi nhận cho ngày nào?", choices=CHOICES)
    await channel.send(driver.group_id, reply, {})
    [message] = await driver.delivered(api, driver.group_id)
    if driver.capabilities.buttons:
        assert message == Delivered(
            text=reply.text, buttons=tuple((c.label, c.data) for c in CHOICES)
        )
    else:
        assert message == Delivered(text=numbered(reply))
        assert "1. Hôm nay\n2. Hôm qua\n3. ✖️ Hủy" in message.text


async def test_image_with_caption(driver, api, channel):
    await channel.send(driver.user_id, Reply("Bảng xếp hạng", image=IMAGE), MEDIA)
    [message] = await driver.delivered(api, driver.user_id)
    assert message.text == "Bảng xếp hạng"
    # uploaded as bytes, or a link to the app's /media route the platform fetches
    assert message.image == MEDIA[IMAGE.media_id] or IMAGE.media_id in message.image


async def test_excel_file(driver, api, channel):
    await channel.send(driver.user_id, Reply("Báo cáo tuần", document=WORKBOOK), MEDIA)
    [message] = await driver.delivered(api, driver.user_id)
    assert message.text.startswith("Báo cáo tuần")
    if driver.capabilities.files:
        assert message.filename == WORKBOOK.filename
        assert message.file == MEDIA[WORKBOOK.media_id] or WORKBOOK.media_id in message.file
    else:  # a download link in the text instead
        assert message.file is None
        assert WORKBOOK.filename in message.text and f"/media/{WORKBOOK.media_id}" in message.text


# --- platform error -> neutral send failure --------------------------------------------------------
@pytest.mark.parametrize("refusal", REFUSALS, ids=[refusal.label for refusal in REFUSALS])
async def test_platform_error_becomes_send_failure(driver, api, channel, refusal):
    if not driver.remote:
        pytest.skip(f"{driver.platform} stores its messages: no platform refuses them")
    api.fail_next("sendMessage", refusal.status, refusal.description, refusal.retry_after)
    with pytest.raises(SendError) as caught:
        await channel.send(driver.user_id, Reply("Xin chào"), {})
    assert caught.value.kind == refusal.kind
    assert caught.value.retry_after == refusal.retry_after
