"""Phone numbers: one spelling to find people by, and masked in stored notes with citizen IDs."""

import re

# --- phone numbers and masking ------------------------------------------------------------------

_PHONE = re.compile(r"0[1-9][0-9]{8}|02[0-9]{9}")


def normalize_phone(text: str) -> str | None:
    """One spelling per number (0912345678), so people are found again by phone."""
    text = text.strip()
    if not text or re.search(r"[^0-9\s+().\-]", text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if digits.startswith("0084"):
        digits = digits[2:]
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:].removeprefix("0")
    return digits if _PHONE.fullmatch(digits) else None


_DIGIT_RUN = re.compile(r"(?<![0-9/])\(?\+?[0-9]+\)?(?:[ .\-]\(?\+?[0-9]+\)?)*(?![0-9/])")


def _sensitive(digits: str, single: bool) -> bool:
    """Citizen ID (12), old ID (9), a phone number, or any long unbroken number."""
    return (
        len(digits) in (9, 12)
        or normalize_phone(digits) is not None
        or (single and len(digits) > 9)
    )


def _sensitive_stretches(run: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of digit groups in a run that is a phone or ID number."""
    groups = list(re.finditer(r"[0-9]+", run))
    stretches = []
    i = 0
    while i < len(groups):
        for j in range(len(groups) - 1, i - 1, -1):
            digits = "".join(g.group() for g in groups[i : j + 1])
            if _sensitive(digits, i == j):
                stretches.append((groups[i].start(), groups[j].end()))
                i = j
                break
        i += 1
    return stretches


def _mask_run(run: str) -> str:
    """Mask each sensitive stretch of digit groups in a run, leaving its last 3 digits."""
    chars = list(run)
    for start, end in _sensitive_stretches(run):
        positions = [p for p in range(start, end) if run[p].isdigit()]
        for p in positions[:-3]:
            chars[p] = "*"
    return "".join(chars)


def personal_number_spans(text: str) -> list[tuple[int, int]]:
    """Where phone and ID numbers are in a text: never read as counts."""
    return [
        (run.start() + start, run.start() + end)
        for run in _DIGIT_RUN.finditer(text)
        for start, end in _sensitive_stretches(run.group())
    ]


def mask_personal_numbers(text: str) -> str:
    """Keep citizen IDs and phone numbers out of stored notes."""
    return _DIGIT_RUN.sub(lambda m: _mask_run(m.group()), text)
