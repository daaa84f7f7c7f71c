"""Spellings of dates, amounts and identifiers as they appear in real documents.

Every function takes the normalised value (ISO date string, number) and
returns one written form, so a document's text and its expected.json entry
are derived from the same value and cannot drift apart.
"""
import datetime

ZH_DIGITS = "〇一二三四五六七八九"
UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
FULLWIDTH = str.maketrans("0123456789./-", "０１２３４５６７８９．／－")


def _ymd(iso):
    d = datetime.date.fromisoformat(iso)
    return d.year, d.month, d.day


def _zh_small(n):
    """1..31 in Chinese numerals the way dates write them (十一, 二十, 三十一)."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return ZH_DIGITS[units]
    head = "" if tens == 1 else ZH_DIGITS[tens]
    return head + "十" + (ZH_DIGITS[units] if units else "")


def date(iso, style="zh"):
    """Write an ISO date in one of the spellings of the spec (section 6)."""
    y, m, d = _ymd(iso)
    if style == "zh":
        return f"{y}年{m}月{d}日"
    if style == "zh0":
        return f"{y}年{m:02d}月{d:02d}日"
    if style == "zhsp":
        return f"{y} 年 {m} 月 {d} 日"
    if style == "zhnum":
        return "".join(ZH_DIGITS[int(c)] for c in str(y)) + "年" + \
            _zh_small(m) + "月" + _zh_small(d) + "日"
    if style == "fw":
        return f"{y}年{m}月{d}日".translate(FULLWIDTH)
    if style == "dot":
        return f"{y}.{m}.{d}"
    if style == "dot0":
        return f"{y}.{m:02d}.{d:02d}"
    if style == "slash":
        return f"{y}/{m:02d}/{d:02d}"
    if style == "iso":
        return iso
    if style == "en":
        return f"{d} {EN_MONTHS[m - 1]} {y}"
    if style == "enord":
        suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        return f"{d}{suffix} {EN_MONTHS[m - 1]} {y}"
    if style == "enshort":
        return f"{d:02d} {EN_MONTHS[m - 1][:3]} {y}"
    if style == "us":
        return f"{EN_MONTHS[m - 1]} {d}, {y}"
    raise ValueError(style)


def month(iso, style="dot"):
    """Write a month-only date (resumes, plan periods)."""
    y, m, _ = _ymd(iso)
    if style == "dot":
        return f"{y}.{m:02d}"
    if style == "zh":
        return f"{y}年{m}月"
    if style == "en":
        return f"{EN_MONTHS[m - 1]} {y}"
    raise ValueError(style)


def month_first(iso):
    y, m, _ = _ymd(iso)
    return f"{y:04d}-{m:02d}-01"


def month_last(iso):
    y, m, _ = _ymd(iso)
    nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - datetime.timedelta(days=1)).isoformat()


def _section_upper(n):
    """0 < n < 10000 in uppercase numerals, with 零 for skipped places."""
    out, pending_zero = "", False
    for place, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = n // place % 10
        if digit == 0:
            pending_zero = pending_zero or bool(out)
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += UPPER_DIGITS[digit] + unit
    return out


def upper_amount(value):
    """人民币大写 of a yuan amount: 1200000 -> 壹佰贰拾万元整."""
    cents = round(value * 100)
    yuan, frac = divmod(cents, 100)
    jiao, fen = divmod(frac, 10)
    assert yuan > 0
    sections = []
    while yuan:
        yuan, low = divmod(yuan, 10000)
        sections.append(low)
    out, pending_zero = "", False
    for idx in range(len(sections) - 1, -1, -1):
        sec = sections[idx]
        unit = ["", "万", "亿"][idx]
        if sec == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or sec < 1000):
            out += "零"
        out += _section_upper(sec) + unit
        pending_zero = False
    out += "元"
    if jiao == 0 and fen == 0:
        return out + "整"
    if jiao:
        out += UPPER_DIGITS[jiao] + "角"
    elif fen:
        out += "零"
    if fen:
        out += UPPER_DIGITS[fen] + "分"
    return out


def figure(value, decimals=2):
    return f"{value:,.{decimals}f}"


def amount(value, style, currency="CNY"):
    """Write an amount in one of the spellings of the spec (section 6)."""
    if style == "yen":
        return f"¥{figure(value)}"
    if style == "fwyen":
        return f"￥{figure(value)}"
    if style == "upper+yen":
        return f"人民币{upper_amount(value)}（¥{figure(value)}）"
    if style == "upper-label":
        return f"人民币（大写）：{upper_amount(value)}，（小写）：¥{figure(value)}"
    if style == "yuan":
        return f"人民币{figure(value)}元"
    if style == "wan":
        wan = value / 10000
        return f"{wan:g}万元"
    if style == "rmb-million":
        return f"RMB {value / 1e6:g} million"
    if style == "rmb":
        return f"RMB {figure(value)}"
    if style == "cny":
        return f"CNY {figure(value)}"
    if style == "usd":
        return f"USD {figure(value, 0)}"
    if style == "usd$":
        return f"US${figure(value)}"
    raise ValueError(style)


def amount_value(value, currency="CNY"):
    """The normalised {value, currency} object of expected.json."""
    v = int(value) if float(value).is_integer() else round(value, 2)
    return {"value": v, "currency": currency}


CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(body17):
    """Append the GB 32100 check character to a 17-character code body."""
    assert len(body17) == 17 and all(c in CREDIT_CHARS for c in body17)
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(body17, CREDIT_WEIGHTS))
    return body17 + CREDIT_CHARS[(31 - total % 31) % 31]


def add_months(iso, n):
    """Calendar month arithmetic of the spec: clamp to the month's last day."""
    y, m, d = _ymd(iso)
    idx = y * 12 + (m - 1) + n
    y2, m2 = divmod(idx, 12)
    last = int(month_last(f"{y2:04d}-{m2 + 1:02d}-01")[-2:])
    return datetime.date(y2, m2 + 1, min(d, last)).isoformat()
