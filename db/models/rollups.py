"""Totals kept with the reports and memberships, so big units read a few rows instead of every line."""

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class DailyTotal(SQLModel, table=True):
    """Per day, commune and indicator: the sum of the standing reports' lines and how many they are.

    `unit_id` is the commune of the report's team (a hamlet's parent), or the team's own unit at
    commune level and above. Kept in the transaction of every report, edit and retraction
    (db.rollups), so a province or the country sums these rows instead of millions of lines.
    """

    __table_args__ = (Index("ix_dailytotal_day", "day"),)  # the whole country: one day range
    unit_id: int = Field(primary_key=True, foreign_key="unit.id")
    day: date = Field(primary_key=True)
    indicator_id: int = Field(primary_key=True, foreign_key="indicator.id")
    total: int = 0
    reports: int = 0


class ProvinceTotal(SQLModel, table=True):
    """Per day, province and indicator: as `DailyTotal`, one level up, for the whole country.

    `unit_id` is the province above the report's team (0 for a team under no province).
    """

    __table_args__ = (Index("ix_provincetotal_day", "day"),)
    unit_id: int = Field(primary_key=True)  # no foreign key: 0 is no province
    day: date = Field(primary_key=True)
    indicator_id: int = Field(primary_key=True, foreign_key="indicator.id")
    total: int = 0
    reports: int = 0


class PeriodCount(SQLModel, table=True):
    """Per calendar week, month, quarter or year (`kind`, its first day) and unit at commune level
    and above (0: the whole country): distinct people with a standing report under the unit in
    the period, and how many reports. Kept exact with the reports (db.period_reporters).
    """

    kind: str = Field(primary_key=True, max_length=8)
    start: date = Field(primary_key=True)
    unit_id: int = Field(primary_key=True)  # no foreign key: 0 is the country
    reporters: int = 0
    reports: int = 0


class MemberCount(SQLModel, table=True):
    """Per unit at commune level and above (0: the whole country): distinct confirmed members
    (MEMBER_ROLES) of the teams under it, and how many of them are unreachable.

    Kept in the transaction of every change to memberships and identities (db.member_counts), so
    a province or the country reads a few rows instead of every membership.
    """

    unit_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})  # 0: country
    members: int = 0
    unreachable: int = 0


class DailyReporter(SQLModel, table=True):
    """Per day, commune (as in `DailyTotal`) and person: how many standing reports they made.

    Distinct reporters over a period do not add up from day counts; counted from these rows they
    are exact, and the reports of a row are the sum of `reports`.
    """

    __table_args__ = (
        Index("ix_dailyreporter_day", "day"),
        Index("ix_dailyreporter_person_day", "person_id", "day"),  # a person's periods
    )
    unit_id: int = Field(primary_key=True, foreign_key="unit.id")
    day: date = Field(primary_key=True)
    person_id: int = Field(primary_key=True, foreign_key="person.id")
    reports: int = 0
