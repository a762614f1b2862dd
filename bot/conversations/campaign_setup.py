"""/chiendich mới: an official sets up a campaign step by step; nothing is stored before «Lưu».

ASKING_UNIT -> ASKING_NAME -> ASKING_INDICATORS -> ASKING_DATES -> ASKING_DAYS
-> ASKING_TARGET (one per indicator) -> ASKING_SPLIT -> ASKING_HOUR -> CONFIRMING
"""

import re
from datetime import date, timedelta

from bot import texts
from bot.campaigns import days_label
from bot.core import state
from bot.core.context import Context
from bot.core.replies import CANCEL, Choice, Reply
from bot.core.state import Answer, Step
from bot.dates import DATE, resolve_date
from bot.reporting import catalogue
from bot.target_math import split_whole
from bot.targets import parse_value
from bot.words import ParseError, fold
from db.campaigns import add_campaign
from db.models import Campaign, Unit
from db.targets import hamlet_members

FLOW = "campaign"
ASKING_UNIT, ASKING_NAME, ASKING_INDICATORS = "unit", "name", "indicators"
ASKING_DATES, ASKING_DAYS, ASKING_TARGET = "dates", "days", "target"
ASKING_SPLIT, ASKING_HOUR, CONFIRMING = "split", "hour", "confirm"
LONGEST = 366
AHEAD = 334  # days: how far ahead a date typed without its year may be


async def begin(ctx: Context, communes: list[Unit]) -> list[Reply]:
    """Open the flow for one of the official's communes (asked when there are several)."""
    if len(communes) > 1:
        await state.start(ctx, FLOW, ASKING_UNIT, {})
        choices = tuple(Choice(u.name, f"unit:{u.id}") for u in communes)
        return [Reply(texts.CAMPAIGN_WHICH_UNIT, choices=(*choices, CANCEL))]
    await state.start(ctx, FLOW, ASKING_NAME, {"unit_id": communes[0].id})
    return [Reply(texts.CAMPAIGN_ASK_NAME, choices=(CANCEL,))]


async def asking_unit(ctx: Context, data: dict, answer: Answer) -> Step:
    allowed = {p.unit.id for p in ctx.official_places}
    choice = answer.choice or ""
    if not choice.startswith("unit:") or int(choice[5:]) not in allowed:
        return Step([Reply(texts.CAMPAIGN_WHICH_UNIT)], ASKING_UNIT)
    data["unit_id"] = int(choice[5:])
    return Step([Reply(texts.CAMPAIGN_ASK_NAME, choices=(CANCEL,))], ASKING_NAME)


async def asking_name(ctx: Context, data: dict, answer: Answer) -> Step:
    name = " ".join(answer.text.split())
    if not 3 <= len(name) <= 120:
        return Step([Reply(texts.CAMPAIGN_BAD_NAME)], ASKING_NAME)
    data["name"], data["codes"] = name, []
    return Step([await _indicator_menu(ctx, data)], ASKING_INDICATORS)


async def _indicator_menu(ctx: Context, data: dict) -> Reply:
    book = await catalogue(ctx)
    chosen = [book.labels[c] for c in data["codes"]]
    extra = texts.CAMPAIGN_CHOSEN.format(names=", ".join(chosen)) if chosen else ""
    choices = book.choices(lambda code, label: f"✓ {label}" if code in data["codes"] else label)
    choices += [Choice(texts.BTN_DONE, "done"), CANCEL]
    return Reply(texts.CAMPAIGN_ASK_INDICATORS.format(chosen=extra), choices=tuple(choices))


async def asking_indicators(ctx: Context, data: dict, answer: Answer) -> Step:
    """Each press adds (or takes back) an indicator; «Xong» goes on."""
    book = await catalogue(ctx)
    choice = answer.choice or ""
    if choice == "done":
        if not data["codes"]:
            return Step([Reply(texts.CAMPAIGN_NEED_INDICATOR)], ASKING_INDICATORS)
        return Step([Reply(texts.CAMPAIGN_ASK_DATES, choices=(CANCEL,))], ASKING_DATES)
    if code := book.picked(choice):
        codes = data["codes"]
        data["codes"] = [c for c in codes if c != code] if code in codes else [*codes, code]
    return Step([await _indicator_menu(ctx, data)], ASKING_INDICATORS)


def _typed_date(raw: str, today: date) -> date | None:
    """dd/mm[/yyyy]; without a year, the one from a month ago to eleven months ahead."""
    try:
        return resolve_date(raw, today + timedelta(days=AHEAD - 31))
    except ParseError:
        return None


def parse_dates(text: str, today: date) -> tuple[date, date] | None:
    """«5/12 - 20/12»: the campaign's first and last day, the last not before today."""
    found = [m.group(0) for m in re.finditer(rf"{DATE}(?![0-9])", text)]
    if len(found) != 2:
        return None
    start, end = (_typed_date(raw, today) for raw in found)
    if start is None or end is None or not start <= end or end < today:
        return None
    return (start, end) if (end - start).days < LONGEST else None


async def asking_dates(ctx: Context, data: dict, answer: Answer) -> Step:
    dates = parse_dates(answer.text, ctx.today)
    if dates is None:
        value = answer.text.strip()[:40]
        return Step([Reply(texts.CAMPAIGN_BAD_DATES.format(value=value))], ASKING_DATES)
    data["start"], data["end"] = dates[0].isoformat(), dates[1].isoformat()
    choices = (Choice(texts.BTN_EVERY_DAY, "days:0123456"), Choice(texts.BTN_WEEKENDS, "days:56"))
    return Step([Reply(texts.CAMPAIGN_ASK_DAYS, choices=(*choices, CANCEL))], ASKING_DAYS)


def parse_days(text: str) -> str | None:
    """«t7 cn», «thứ 2, thứ 4»: the weekdays as digits (Monday 0), None if a word is unknown."""
    words = fold(text).replace(",", " ").replace(texts.CAMPAIGN_DAY_PREFIX, "t")
    joined = re.sub(r"\bt ([2-7])\b", r"t\1", " ".join(words.split()).replace("chu nhat", "cn"))
    days = set()
    for word in joined.split():
        if word not in texts.CAMPAIGN_DAY_WORDS:
            return None
        days.add(texts.CAMPAIGN_DAY_WORDS[word])
    return "".join(str(d) for d in sorted(days)) or None


async def asking_days(ctx: Context, data: dict, answer: Answer) -> Step:
    choice = answer.choice or ""
    days = choice[5:] if choice.startswith("days:") else parse_days(answer.text)
    if not days:
        value = answer.text.strip()[:40]
        return Step([Reply(texts.CAMPAIGN_BAD_DAYS.format(value=value))], ASKING_DAYS)
    data["days"], data["targets"] = days, {}
    return Step([await _target_question(ctx, data)], ASKING_TARGET)


async def _target_question(ctx: Context, data: dict) -> Reply:
    book = await catalogue(ctx)
    code = data["codes"][len(data["targets"])]
    text = texts.CAMPAIGN_ASK_TARGET.format(indicator=book.labels[code])
    return Reply(text)  # no menu: a typed number is the target (0: none)


async def asking_target(ctx: Context, data: dict, answer: Answer) -> Step:
    """One indicator's target for the whole commune; then the next, the split, the hour."""
    value = parse_value(answer.text)
    if value is None:
        return Step([Reply(texts.CAMPAIGN_BAD_TARGET)], ASKING_TARGET)
    data["targets"][data["codes"][len(data["targets"])]] = value
    if len(data["targets"]) < len(data["codes"]):
        return Step([await _target_question(ctx, data)], ASKING_TARGET)
    if any(data["targets"].values()):
        even, members = (
            Choice(texts.BTN_SPLIT_EVEN, "split:even"),
            Choice(texts.BTN_SPLIT_MEMBERS, "split:members"),
        )
        return Step(
            [Reply(texts.CAMPAIGN_ASK_SPLIT, choices=(even, members, CANCEL))], ASKING_SPLIT
        )
    return Step([_hour_question()], ASKING_HOUR)


def _hour_question() -> Reply:
    return Reply(texts.CAMPAIGN_ASK_HOUR)  # no menu: a typed number is the hour


async def asking_split(ctx: Context, data: dict, answer: Answer) -> Step:
    if answer.choice not in ("split:even", "split:members"):
        return Step([Reply(texts.CAMPAIGN_ASK_SPLIT)], ASKING_SPLIT)
    data["by_members"] = answer.choice == "split:members"
    return Step([_hour_question()], ASKING_HOUR)


async def asking_hour(ctx: Context, data: dict, answer: Answer) -> Step:
    raw = fold(answer.text).strip().removesuffix("gio").rstrip("hg ").strip()
    if not raw.isdigit() or not 0 <= int(raw) <= 23:
        return Step([Reply(texts.CAMPAIGN_BAD_HOUR)], ASKING_HOUR)
    data["hour"] = int(raw)
    return Step([await _confirmation(ctx, data)], CONFIRMING)


async def _confirmation(ctx: Context, data: dict) -> Reply:
    book = await catalogue(ctx)
    unit = await ctx.session.get(Unit, data["unit_id"])
    targets = ", ".join(
        f"{book.labels[c]} {texts.number(v)}"
        if v
        else f"{book.labels[c]} ({texts.CAMPAIGN_NO_TARGET})"
        for c, v in data["targets"].items()
    )
    text = texts.CAMPAIGN_CONFIRM.format(
        name=data["name"],
        unit=unit.name,
        start=f"{date.fromisoformat(data['start']):%d/%m}",
        end=f"{date.fromisoformat(data['end']):%d/%m/%Y}",
        days=days_label(data["days"]),
        targets=targets,
        hour=data["hour"],
    )
    return Reply(text, choices=(Choice(texts.BTN_YES, "yes"), CANCEL))


async def confirming(ctx: Context, data: dict, answer: Answer) -> Step:
    """«Lưu»: the campaign, its commune targets and their split over the hamlets, all at once."""
    if answer.choice != "yes":
        return Step([await _confirmation(ctx, data)], CONFIRMING)
    book = await catalogue(ctx)
    unit = await ctx.session.get(Unit, data["unit_id"])
    hamlets = await hamlet_members(ctx.session, commune_id=unit.id)
    weights = [n for _, n in hamlets] if data.get("by_members") else [1] * len(hamlets)
    rows = []
    for code, value in data["targets"].items():
        rows.append((unit.id, book.ids[code], value))
        if value and hamlets:
            shares = split_whole(value, weights)
            rows += [(h.id, book.ids[code], n) for (h, _), n in zip(hamlets, shares, strict=True)]
    campaign = Campaign(
        unit_id=unit.id,
        name=data["name"],
        start_date=date.fromisoformat(data["start"]),
        end_date=date.fromisoformat(data["end"]),
        weekdays=data["days"],
        post_hour=data["hour"],
        created_by=ctx.person.id,
    )
    campaign = await add_campaign(ctx.session, campaign=campaign, targets=rows)
    text = texts.CAMPAIGN_SAVED.format(name=campaign.name, unit=unit.name, id=campaign.id)
    return Step([Reply(text)], None)


STEPS = {
    ASKING_UNIT: asking_unit,
    ASKING_NAME: asking_name,
    ASKING_INDICATORS: asking_indicators,
    ASKING_DATES: asking_dates,
    ASKING_DAYS: asking_days,
    ASKING_TARGET: asking_target,
    ASKING_SPLIT: asking_split,
    ASKING_HOUR: asking_hour,
    CONFIRMING: confirming,
}
