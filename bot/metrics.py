"""What the service counts, for Prometheus (`/metrics`, off unless METRICS_ENABLED).

The metrics live in prometheus-client's default registry, one set per process: with several
processes, Prometheus scrapes each and sums. The outbox's depth is read from the database when
scraped (webhook.app), since every process shares the outbox.
"""

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

disable_created_metrics()  # the *_created series say when the process started: noise here

UPDATES = Counter(
    "tcn_updates",
    "Updates taken in, by platform and outcome (handled, repeat, failed, unavailable)",
    ["platform", "outcome"],
)
BATCH_SIZE = Histogram(
    "tcn_batch_size", "Updates per inbox transaction", buckets=(1, 2, 4, 8, 16, 32, 64)
)
TRANSACTION_SECONDS = Histogram("tcn_transaction_seconds", "Time of one inbox transaction")
OUTBOX_ROWS = Gauge("tcn_outbox_rows", "Outbox rows by state, when scraped", ["state"])
SENDS = Counter(
    "tcn_sends",
    "Sends to a platform by result: ok, throttled (429), retryable (5xx, network), "
    "unreachable (blocked), moved, failed",
    ["platform", "result"],
)
JOB_RUNS = Counter(
    "tcn_job_runs",
    "Scheduled jobs per commune, by outcome (ran, skipped, failed)",
    ["job", "outcome"],
)
RENDER_SECONDS = Histogram(
    "tcn_render_seconds", "Time to draw a chart or write a workbook", ["kind"]
)
