"""One fixed moment for tests that run the whole service, which reads the clock itself.

A Wednesday mid-morning, mid-month: no test may pass or fail by the hour, the weekday or the
month it runs in. `fixed_clock` (tests/conftest.py) travels there with time-machine and lets the
clock tick on, so timeouts and expiries still move.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=VN)
TODAY: date = NOW.date()
