import pytest

from evalsheets.lib import wareki


@pytest.mark.parametrize(
    ("fiscal_year", "label"),
    [
        (1983, "昭和58年度"),
        (1988, "昭和63年度"),
        (1989, "平成元年度"),
        (2015, "平成27年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),  # FY2019 began in 平成31年4月 but the form calls it 令和元年度
        (2020, "令和2年度"),
        (2021, "令和3年度"),
        (2026, "令和8年度"),
    ],
)
def test_fiscal_year_label_and_back(fiscal_year, label):
    assert wareki.fiscal_year_label(fiscal_year) == label
    assert wareki.parse_fiscal_year(label) == fiscal_year


def test_short_label_uses_gan_for_the_first_year():
    assert wareki.short_fiscal_year_label(2019) == "元年度"
    assert wareki.short_fiscal_year_label(2021) == "3年度"
    assert wareki.short_fiscal_year_label(2015) == "27年度"


@pytest.mark.parametrize(
    ("text", "year"),
    [("27年度", 2015), ("30年度", 2018), ("元年度", 2019), ("3年度見込み", 2021), ("8年度", 2026), ("３年度", 2021)],
)
def test_short_heads_resolve_to_the_year_nearest_the_evaluation_year(text, year):
    assert wareki.parse_short_fiscal_year(text, near=2021) == year


@pytest.mark.parametrize(
    ("text", "label", "year", "month", "is_fy"),
    [
        ("平成 5年 4月", "平成5年4月", 1993, 4, False),
        ("昭和58年 4月", "昭和58年4月", 1983, 4, False),
        ("平成31年4月", "平成31年4月", 2019, 4, False),
        ("令和元年 8月", "令和元年8月", 2019, 8, False),
        ("令和 2年 7月", "令和2年7月", 2020, 7, False),
        ("平成14年度", "平成14年度", 2002, None, True),
        ("平成１５年 ９月", "平成15年9月", 2003, 9, False),
    ],
)
def test_era_dates_parse_to_year_and_month(text, label, year, month, is_fy):
    parsed = wareki.parse_era_date(text)
    assert (parsed.label, parsed.year, parsed.month, parsed.is_fiscal_year) == (label, year, month, is_fy)


@pytest.mark.parametrize("text", ["", "令和", "平成13月", "西暦2021年度", "大化元年度"])
def test_unreadable_era_text_raises(text):
    with pytest.raises(wareki.WarekiError):
        wareki.parse_fiscal_year(text)


def test_month_out_of_range_raises():
    with pytest.raises(wareki.WarekiError):
        wareki.parse_era_date("平成5年13月")


def test_year_zero_of_an_era_raises():
    with pytest.raises(wareki.WarekiError):
        wareki.parse_fiscal_year("令和0年度")
