"""Generated demo data: fictional wards (架空第1区, 架空第2区 …, prefecture 架空都) with their organisation, policy
hierarchy, programs and one published sheet per program and evaluation year, every part of the form filled — for
benchmarks and demonstrations at a real ward's scale (荒川区 evaluates about 1,050 事務事業 a year).

Never mixed into the seed fixtures: the wards have 団体コード 99001x … 99899x (with a valid check digit; prefecture
code 99 exists for no real municipality, and the example city 架空市 999997 lies outside the range), and `demo_clear`
removes exactly those municipalities and everything under them.

Deterministic: the same seed and size give the same rows (each ward draws from its own random.Random, so a ward's
data does not depend on how many wards are generated). Figures are consistent with the form's rules: settlements at
85–100 % of the budget (a few lower), the evaluation year's settlement a 見込み, 予算・決算の内訳 lines by 節 adding up
to the column, 行政コスト計算書 totals printed exactly as finance.costs computes them, 財源内訳 adding up to the 事業費.

Rows are written level by level (sheets, their indicators and 実績 items, then everything that points at them),
without history rows or signals: demo data has no edit history. The rows other rows point at go through bulk_create
(which returns their keys); the rest, nine rows in ten, are kept as plain field values and written by COPY on
PostgreSQL, executemany on SQLite. What is stored per sheet from its rows (the figures and the
findings, programs.figures.sheet_stored_refresh) is refreshed at the end of each ward by `stored_refresh`.
"""

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from django.db import connection, models, transaction

from evalsheets.lib.wareki import era_of_year, era_year_number
from finance.choices import AmountBasis, BreakdownKind, CostAccount, CostTotal
from finance.costs import cost_totals
from finance.models import BreakdownLine, BudgetYear, CostLine, FundingYear, PersonnelCost, StatedCostTotal
from indicators.choices import Direction, IndicatorKind
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue
from programs import choices
from programs.figures import sheet_stored_refresh
from programs.improvements import proposed_status
from programs.models import (
    Department,
    HistoryEvent,
    Improvement,
    Measure,
    Municipality,
    MunicipalityKind,
    MunicipalityPopulation,
    Policy,
    PolicyField,
    Program,
    Section,
    Sheet,
    SheetIssue,
    StaffMember,
    SubProgram,
)
from programs.models.municipality import local_government_code_check_digit
from programs.program_kinds import program_kinds_assign

DEMO_PREFECTURE = "架空都"
FIRST_CODE = 99001  # first five digits of the first ward's 団体コード; ward n is 99000 + n
LAST_CODE = 99899
CODE_RANGE = ("990010", "998999")  # every demo 団体コード sorts within this range (架空市 999997 does not)
BATCH = 2000  # rows per INSERT
BUDGET_YEARS = 7  # 予算・決算額等の推移: the evaluation year and the six before it
INDICATOR_YEARS = 4  # 成果指標: the evaluation year and the three before it
LATEST_YEAR = 2021  # the seed's evaluation year: --years 5 generates 2017–2021


@dataclass(frozen=True)
class DemoSize:
    wards: int = 23
    programs: int = 400  # per ward
    years: int = 5  # evaluation years, ending at last_year
    seed: int = 1
    last_year: int = LATEST_YEAR

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.last_year - self.years + 1, self.last_year + 1))


def demo_code(ward: int) -> str:
    """団体コード of the n-th demo ward: 99000 + n and its check digit (ward 1 → 990019)."""
    if not 1 <= ward <= LAST_CODE - FIRST_CODE + 1:
        raise ValueError(f"ward {ward} is outside the demo range (1–{LAST_CODE - FIRST_CODE + 1})")
    first_five = str(FIRST_CODE + ward - 1)
    return first_five + str(local_government_code_check_digit(first_five))


def demo_municipalities() -> models.QuerySet:
    """The generated municipalities: 団体コード in the demo range."""
    return Municipality.objects.filter(code__gte=CODE_RANGE[0], code__lte=CODE_RANGE[1])


# ---------------------------------------------------------------- vocabulary (all made up)

FIELDS = [
    ("Ⅰ", "子どもの育ちと学びを支えるまち"),
    ("Ⅱ", "誰もが健やかに暮らせるまち"),
    ("Ⅲ", "安全で安心して住み続けられるまち"),
    ("Ⅳ", "にぎわいと活力のあるまち"),
    ("Ⅴ", "環境にやさしく快適なまち"),
    ("Ⅵ", "文化と交流が息づくまち"),
    ("Ⅶ", "計画推進のために"),
]
POLICY_WORDS = ["の充実", "の推進", "の強化", "の確保", "の支援", "づくり"]
MEASURE_WORDS = ["体制の整備", "機会の拡充", "環境の向上", "ネットワークの形成", "サービスの充実", "担い手の育成"]
DEPARTMENTS = [
    ("総務企画部", ["企画課", "財政課", "総務課", "職員課", "情報システム課", "広報課"]),
    ("区民生活部", ["区民課", "戸籍住民課", "税務課", "地域振興課", "産業振興課", "国際交流課"]),
    ("福祉部", ["福祉推進課", "高齢者福祉課", "障害者福祉課", "生活福祉課", "介護保険課"]),
    ("健康部", ["健康推進課", "保健予防課", "生活衛生課", "保健センター"]),
    ("子ども家庭部", ["子育て支援課", "保育課", "児童相談課", "青少年課"]),
    ("環境清掃部", ["環境課", "清掃リサイクル課", "公園緑地課"]),
    ("都市整備部", ["都市計画課", "住まい街づくり課", "道路課", "交通対策課", "防災課"]),
    ("教育委員会事務局", ["教育総務課", "学務課", "指導室", "生涯学習課", "図書館"]),
]
# (topic, target group, goal): a program's name is the topic plus a suffix
TOPICS = [
    ("情報システム運用管理", "区職員", "事務の効率化と区民サービスの向上"),
    ("ネットワーク管理", "区職員", "情報セキュリティの確保"),
    ("電子申請推進", "区民及び事業者", "手続の利便性向上"),
    ("広報紙発行", "区民", "区政情報の的確な提供"),
    ("区民相談", "区民", "区民生活の安定"),
    ("地域活動支援", "町会・自治会", "地域コミュニティの活性化"),
    ("商店街活性化", "区内商店街", "地域経済の活性化"),
    ("創業支援", "区内で創業を目指す者", "産業の振興"),
    ("観光案内", "来街者", "まちのにぎわいの創出"),
    ("多文化共生推進", "外国人区民", "誰もが暮らしやすい地域づくり"),
    ("高齢者見守り", "ひとり暮らし高齢者", "高齢者の安全・安心な在宅生活"),
    ("介護予防教室", "65歳以上の区民", "健康寿命の延伸"),
    ("障害者就労支援", "障害のある区民", "障害者の自立と社会参加"),
    ("生活困窮者自立支援", "生活に困窮する区民", "生活の安定と自立"),
    ("がん検診", "40歳以上の区民", "がんの早期発見・早期治療"),
    ("予防接種", "乳幼児及び高齢者", "感染症のまん延防止"),
    ("食品衛生監視", "区内飲食店等", "食の安全の確保"),
    ("子育て相談", "子育て家庭", "子育ての不安の軽減"),
    ("保育園運営", "保育を必要とする児童", "待機児童の解消"),
    ("学童クラブ運営", "小学生とその保護者", "放課後の安全な居場所の確保"),
    ("児童虐待防止", "児童とその家庭", "児童の権利擁護"),
    ("青少年健全育成", "青少年", "次世代を担う人材の育成"),
    ("資源回収", "区民及び事業者", "ごみの減量と資源循環"),
    ("不法投棄対策", "区内全域", "良好な生活環境の保全"),
    ("地球温暖化対策", "区民及び事業者", "温室効果ガスの削減"),
    ("公園維持管理", "公園利用者", "快適で安全な公園の提供"),
    ("道路維持補修", "道路利用者", "安全で快適な道路環境の確保"),
    ("自転車駐車場管理", "自転車利用者", "放置自転車の解消"),
    ("防災訓練", "区民及び防災区民組織", "地域防災力の向上"),
    ("建築物耐震化促進", "旧耐震基準の建築物所有者", "災害に強いまちづくり"),
    ("学校施設整備", "区立小・中学校", "良好な教育環境の確保"),
    ("学力向上推進", "区立小・中学校の児童・生徒", "確かな学力の定着"),
    ("図書館運営", "区民", "生涯学習の機会の充実"),
    ("文化事業", "区民", "文化芸術に親しむ機会の提供"),
    ("スポーツ振興", "区民", "健康づくりと交流の促進"),
    ("職員研修", "区職員", "職員の能力向上"),
    ("庁舎維持管理", "来庁者及び区職員", "安全で快適な庁舎環境の維持"),
    ("行政評価推進", "区の全事務事業", "効率的・効果的な区政運営"),
]
SUFFIXES = ["事業", "事業", "", "推進事業", "支援事業", "等事業"]
# (name, unit, direction, decimals, low, high): 成果指標 templates
INDICATORS = [
    ("利用者満足度", "%", Direction.UP, 1, 60, 95),
    ("事業の認知度", "%", Direction.UP, 1, 20, 80),
    ("参加者数", "人", Direction.UP, 0, 100, 6000),
    ("利用件数", "件", Direction.UP, 0, 200, 30000),
    ("満足度の平均値（5段階評価）", "点", Direction.UP, 2, 2.5, 4.6),
    ("目標達成率", "%", Direction.UP, 1, 50, 100),
    ("待機者数", "人", Direction.DOWN, 0, 5, 300),
    ("平均処理日数", "日", Direction.DOWN, 1, 2, 30),
    ("苦情件数", "件", Direction.DOWN, 0, 5, 200),
    ("重大な事故・障害件数", "件", Direction.ZERO, 0, 0, 3),
]
ACTIVITIES = [
    ("実施回数", "回"),
    ("相談件数", "件"),
    ("延べ参加者数", "人"),
    ("対象施設数", "か所"),
    ("委託件数", "件"),
    ("発行部数", "部"),
    ("訪問件数", "件"),
    ("登録者数", "人"),
]
SUB_ACTIVITIES = ["・うち新規", "・うち区民", "・うち継続"]
EXPENSE_CLASSES = [
    "報酬",
    "職員手当等",
    "報償費",
    "旅費",
    "需用費",
    "役務費",
    "委託料",
    "使用料及び賃借料",
    "工事請負費",
    "備品購入費",
    "負担金補助及び交付金",
    "扶助費",
]
EXPENSE_ITEMS = ["運営経費", "講師謝礼", "消耗品", "印刷製本", "郵送料", "保守委託", "運営委託", "機器借上", "補助金"]
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "松本", "井上"]
SURNAMES += ["木村", "林", "清水", "山口", "森", "池田", "橋本", "石川", "前田", "藤田", "岡田", "後藤", "長谷川", "村上"]
EVENTS = ["事業開始", "実施要綱を改正", "対象者を拡大", "委託事業者を再選定", "オンライン受付を開始", "実施体制を見直し"]
ISSUES = [
    "{topic}の利用者が固定化しており、新たな利用者の掘り起こしが必要である。",
    "{topic}の事務処理に時間を要しており、手続の簡素化・効率化が課題である。",
    "事業の認知度が十分でなく、{target}への周知を強化する必要がある。",
    "物価上昇に伴い委託経費が増加しており、経費の精査が必要である。",
    "担い手の高齢化が進んでおり、次の担い手の確保が課題である。",
    "国や都の制度改正の動向を踏まえ、事業内容を見直す必要がある。",
]
PLANS = [
    "区報・ホームページ・SNSを活用した周知を強化する。",
    "申請手続のオンライン化を進め、処理期間を短縮する。",
    "関係機関との連絡会を開催し、連携体制を強化する。",
    "委託仕様を見直し、経費の縮減を図る。",
    "利用者アンケートを実施し、結果を事業の改善に反映する。",
    "他自治体の先進事例を調査し、実施方法を検討する。",
]
RESULTS = [
    "周知を強化した結果、利用者数が前年度を上回った。",
    "手続の一部をオンライン化し、平均処理日数を短縮した。",
    "連絡会を年{n}回開催し、情報共有を図った。",
    "仕様の見直しにより、委託経費を抑制した。",
    "アンケート結果を踏まえ、実施時間帯を拡大した。",
]


# ---------------------------------------------------------------- what a program is, across its years


@dataclass
class IndicatorPlan:
    number: int
    name: str
    unit: str
    direction: str
    decimals: int
    target: Decimal
    values: dict[int, Decimal]


@dataclass
class ActivityPlan:
    name: str
    unit: str
    values: dict[int, Decimal]
    children: list["ActivityPlan"] = field(default_factory=list)


@dataclass
class ProgramPlan:
    """One program's figures over every year any of its sheets prints, drawn once so its sheets agree."""

    program: Program
    section: Section
    measure: Measure
    topic: tuple[str, str, str]
    start_year: int
    budget: dict[int, int]
    settlement: dict[int, int]
    estimate: dict[int, int]  # the settlement expected while the year is the evaluation year (見込み)
    indicators: list[IndicatorPlan]
    activities: list[ActivityPlan]
    staff: list[str]
    chief: str
    extension: str
    sub_programs: list[tuple[str, str]]
    events: list[tuple[int, int, str]]
    has_funding: bool
    persons: Decimal | None  # 人工, when the sheet reports 人件費
    fields: dict  # sheet fields that stay the same every year
    promised: dict[int, str] = field(default_factory=dict)  # last year's 改善策「当年度以降」 by number (this year's plan)


def _walk(rng: random.Random, start: float, years: list[int], *, step: float, low: float, high: float) -> dict:
    """A random walk over `years` kept within [low, high]."""
    value, walk = start, {}
    for year in years:
        walk[year] = value
        value = min(high, max(low, value * (1 + rng.uniform(-step, step))))
    return walk


def _printed(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals))).quantize(Decimal(1).scaleb(-decimals))


def _indicator_plans(rng: random.Random, years: list[int]) -> list[IndicatorPlan]:
    plans = []
    for number, (name, unit, direction, decimals, low, high) in enumerate(rng.sample(INDICATORS, rng.randint(1, 3)), 1):
        if direction == Direction.ZERO:
            values = {year: Decimal(rng.choice([0, 0, 0, 0, 1])) for year in years}
            target = Decimal(0)
        else:
            walk = _walk(rng, rng.uniform(low, high), years, step=0.08, low=low, high=high)
            values = {year: _printed(value, decimals) for year, value in walk.items()}
            last = float(values[years[-1]])
            target = _printed(min(high, last * 1.15) if direction == Direction.UP else max(low, last * 0.8), decimals)
        plans.append(IndicatorPlan(number, name, unit, direction, decimals, target, values))
    return plans


def _activity_plans(rng: random.Random, years: list[int]) -> list[ActivityPlan]:
    plans, sub_names = [], rng.sample(SUB_ACTIVITIES, len(SUB_ACTIVITIES))  # a sheet's item names are unique
    for name, unit in rng.sample(ACTIVITIES, rng.randint(2, 4)):
        walk = _walk(rng, rng.uniform(20, 5000), years, step=0.12, low=1, high=100000)
        plan = ActivityPlan(name, unit, {year: Decimal(round(value)) for year, value in walk.items()})
        if rng.random() < 0.3 and sub_names:  # a sub-item below its parent (・うち新規), never above it
            share = rng.uniform(0.2, 0.7)
            values = {year: Decimal(int(value * Decimal(str(round(share, 2))))) for year, value in plan.values.items()}
            plan.children.append(ActivityPlan(sub_names.pop(), unit, values))
        plans.append(plan)
    return plans


def _budget_plan(rng: random.Random, years: list[int]) -> tuple[dict, dict, dict]:
    base = rng.lognormvariate(9.5, 1.4)  # 千円: a median of about 13 million yen, a long tail to billions
    walk = _walk(rng, max(500.0, min(base, 5_000_000.0)), years, step=0.1, low=300, high=8_000_000)
    budget = {year: int(round(value)) for year, value in walk.items()}
    settlement, estimate = {}, {}
    for year, amount in budget.items():
        rate = rng.uniform(0.85, 1.0) if rng.random() < 0.92 else rng.uniform(0.55, 0.85)
        settlement[year] = int(amount * rate)
        estimate[year] = int(amount * rng.uniform(0.93, 1.0))
    return budget, settlement, estimate


def _other_wards(rng: random.Random) -> dict[str, int]:
    """他区の実況: of the 22 other wards, how many run such a program, how many do not, how many are unknown."""
    implemented = rng.randint(8, 22)
    unknown = rng.randint(0, 22 - implemented)
    return {
        "other_wards_implemented": implemented,
        "other_wards_not_implemented": 22 - implemented - unknown,
        "other_wards_unknown": unknown,
    }


def _program_plan(rng: random.Random, *, program: Program, section: Section, measure: Measure, topic, years) -> ProgramPlan:
    start_year = rng.randint(1975, years[0])
    business_type = rng.choices([choices.BusinessType.CONTINUING, choices.BusinessType.CONSTRUCTION, ""], weights=[8, 1, 1])[0]
    outsourcing = rng.choice(choices.Outsourcing.values)
    budget, settlement, estimate = _budget_plan(rng, years)
    events = [(start_year, rng.randint(1, 12), "事業開始")]
    for _ in range(rng.randint(1, 4)):
        events.append((rng.randint(start_year, years[-1]), rng.randint(1, 12), rng.choice(EVENTS[1:])))
    return ProgramPlan(
        program=program,
        section=section,
        measure=measure,
        topic=topic,
        start_year=start_year,
        budget=budget,
        settlement=settlement,
        estimate=estimate,
        indicators=_indicator_plans(rng, years),
        activities=_activity_plans(rng, years),
        staff=rng.sample(SURNAMES, rng.randint(1, 5)),
        chief=rng.choice(SURNAMES),
        extension=str(rng.randint(2000, 4999)),
        sub_programs=[
            (f"{rng.randint(1, 12):02d}-{rng.randint(1, 9):02d}-{rng.randint(1, 20):02d}", f"{program.name}{suffix}")
            for suffix in rng.sample(["費", "運営費", "委託費", "補助金"], rng.randint(1, 2))
        ],
        events=sorted(events),
        has_funding=rng.random() < 0.4,
        persons=_printed(rng.uniform(0.1, 4.0), 2) if rng.random() < 0.5 else None,
        fields={
            "strategy_plan": rng.choice(choices.StrategyPlan.values),
            "business_type": business_type,
            "start_fiscal_year": start_year,
            "legal_basis": rng.choice(["", f"架空区{topic[0]}実施要綱", "地方自治法", f"架空区{topic[0]}条例"]),
            "implementation_standard": rng.choice(choices.ImplementationStandard.values),
            "plan_category": rng.choice(choices.PlanCategory.values),
            "target_group": topic[1],
            "outsourcing": outsourcing,
            "direct_staff_regular": outsourcing != choices.Outsourcing.FULL,
            "direct_staff_fiscal_year": outsourcing == choices.Outsourcing.DIRECT and rng.random() < 0.5,
            "implementation_note": f"{topic[0]}業務委託（{rng.randint(1_000_000, 90_000_000):,}円）"
            if outsourcing != choices.Outsourcing.DIRECT
            else "",
            **_other_wards(rng),
        },
    )


# ---------------------------------------------------------------- texts


def _purpose(plan: ProgramPlan) -> str:
    topic, target, goal = plan.topic
    return (
        f"{target}を対象に{topic}を実施することにより、{goal}を図る。"
        f"あわせて、関係機関と連携しながら事業の効果を検証し、より効率的・効果的な実施方法を追求する。"
    )


def _content(rng: random.Random, plan: ProgramPlan, year: int) -> str:
    topic = plan.topic[0]
    lines = [f"○{topic}の実施", f"・{plan.topic[1]}を対象に、年間を通じて{topic}を実施する。"]
    lines += [
        f"・{activity.name}：{activity.values[year]:,}{activity.unit}（{_era(year)}見込み）" for activity in plan.activities[:2]
    ]
    lines.append(rng.choice(["○関係機関との連絡調整", "○区報・ホームページによる周知", "○実施結果の検証と改善"]))
    return "\n".join(lines)


def _era(year: int) -> str:
    return f"{era_of_year(year).name}{era_year_number(year)}年度"


def _explanation(rng: random.Random, plan: ProgramPlan, classification: str) -> str:
    topic, _, goal = plan.topic
    return (
        f"{topic}は{goal}に欠かせない事業であり、成果指標は概ね目標に向けて推移している。"
        f"引き続き実施方法の改善を図りながら、「{classification}」とする。"
    )


# ---------------------------------------------------------------- rows of one sheet


@dataclass
class Rows:
    """Unsaved rows by level: sheets; their parts that other rows point at (indicators, 実績 items); the 実績
    sub-items; and the leaves — the rows nothing points at (values, lines, texts: nine rows in ten), kept as their
    field values by model, not as model instances (building 450,000 instances per two wards was a third of the
    generator's time)."""

    sheets: list = field(default_factory=list)
    parts: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    leaves: dict = field(default_factory=dict)

    def add(self, level: dict, obj: models.Model) -> None:
        level.setdefault(type(obj), []).append(obj)

    def leaf(self, model: type[models.Model], **values) -> None:
        """A row of `model` by field name (a foreign key as its parent object, whose key is read at insertion)."""
        self.leaves.setdefault(model, []).append(values)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` in `parts` positive shares adding up to it exactly (largest first)."""
    if total < parts:
        return [total]
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return sorted(shares, reverse=True)


def _cost_amounts(rng: random.Random, plan: ProgramPlan, year: int) -> dict[str, int]:
    spent = plan.settlement[year]
    salaries = int((plan.persons or Decimal("0.3")) * 8600)
    amounts = {account.value: 0 for account in CostAccount}
    amounts[CostAccount.SALARIES] = salaries
    amounts[CostAccount.GOODS] = int(spent * rng.uniform(0.5, 0.95))
    amounts[CostAccount.SUBSIDIES] = spent - amounts[CostAccount.GOODS]
    amounts[CostAccount.DEPRECIATION] = int(spent * rng.uniform(0, 0.05))
    amounts[CostAccount.ALLOWANCES] = int(salaries * rng.uniform(0.05, 0.15))
    amounts[CostAccount.NATIONAL_GRANTS] = int(spent * rng.choice([0, 0, 0.1, 0.25, 0.5]))
    amounts[CostAccount.METROPOLITAN_GRANTS] = int(spent * rng.choice([0, 0, 0.05, 0.125, 0.25]))
    amounts[CostAccount.FEES] = int(spent * rng.choice([0, 0, 0, 0.05, 0.2]))
    amounts[CostAccount.OTHER_REVENUE] = int(spent * rng.uniform(0, 0.02))
    return amounts


def _sheet_rows(rng: random.Random, plan: ProgramPlan, year: int, rows: Rows) -> None:
    classification_current = rng.choices(choices.Classification.values, weights=[1, 3, 5, 2, 0.3])[0]
    classification_next = rng.choice([classification_current, classification_current, choices.Classification.REVIEW])
    sheet = Sheet(
        program=plan.program,
        fiscal_year=year,
        name=plan.program.name,
        section=plan.section,
        measure=plan.measure,
        chief=plan.chief,
        extension=plan.extension,
        new_business_fiscal_year=None,
        has_end_date=False,
        purpose=_purpose(plan),
        content=_content(rng, plan, year),
        necessity=f"{plan.topic[2]}のため、区が主体となって実施する必要がある。",
        classification_current=classification_current,
        classification_next=classification_next,
        classification_explanation=_explanation(rng, plan, classification_next),
        remarks=(
            f"{_era(year - 1)}は前年度に比べ事業費が{abs(plan.settlement[year - 1] - plan.settlement[year - 2]):,}千円"
            f"{'増加' if plan.settlement[year - 1] >= plan.settlement[year - 2] else '減少'}した。"
            "主な要因は委託内容の見直しと実施規模の変動である。"
        ),
        other_wards_notes="",
        council_notes=rng.choice(["", "", f"{plan.topic[0]}の充実を求める意見があった。"]),
        status=choices.SheetStatus.PUBLISHED,
        **plan.fields,
    )
    rows.sheets.append(sheet)
    parts = rows.parts
    for i, name in enumerate(plan.staff):
        rows.leaf(StaffMember, sheet=sheet, position=i, name=name)
    for i, (budget_code, name) in enumerate(plan.sub_programs):
        rows.leaf(SubProgram, sheet=sheet, position=i, budget_code=budget_code, name=name)
    for i, (event_year, month, text) in enumerate(e for e in plan.events if e[0] <= year):
        label = f"{era_of_year(event_year).name}{era_year_number(event_year)}年{month}月"
        rows.leaf(HistoryEvent, sheet=sheet, position=i, era_label=label, year=event_year, month=month, text=text)
    promised, plan.promised = plan.promised, {}
    for number in range(1, rng.randint(1, 3) + 1):
        template = rng.choice(ISSUES)
        rows.leaf(SheetIssue, sheet=sheet, number=number, text=template.format(topic=plan.topic[0], target=plan.topic[1]))
        drawn = rng.choice(PLANS)
        texts = {  # this year's plan is last year's 「当年度以降」 of the same number, as a roll-over would copy it
            "plan": promised.get(number, drawn),
            "result": rng.choice(RESULTS).format(n=rng.randint(2, 6)),
            "next": rng.choice(PLANS),
        }
        plan.promised[number] = texts["next"]
        # the trail link (previous) is set for the whole ward at once after its rows are written (improvements_link)
        rows.leaf(
            Improvement,
            sheet=sheet,
            number=number,
            previous=None,
            indicator=None,
            status="",
            proposed_status=proposed_status(**texts),
            **texts,
        )
    for budget_year in range(year - BUDGET_YEARS + 1, year + 1):
        is_estimate = budget_year == year
        settlement = plan.estimate[year] if is_estimate else plan.settlement[budget_year]
        rows.leaf(
            BudgetYear,
            sheet=sheet,
            fiscal_year=budget_year,
            budget=plan.budget[budget_year],
            settlement=settlement,
            settlement_is_estimate=is_estimate,
        )
    columns = [(year - 2, BreakdownKind.SETTLEMENT, plan.settlement[year - 2])]
    columns += [(year - 1, BreakdownKind.SETTLEMENT, plan.settlement[year - 1]), (year, BreakdownKind.BUDGET, plan.budget[year])]
    for column_year, kind, total in columns:
        classes = rng.sample(EXPENSE_CLASSES, rng.randint(1, 4))
        for i, (expense_class, share) in enumerate(zip(classes, _split(rng, total, len(classes)), strict=False)):
            rows.leaf(
                BreakdownLine,
                sheet=sheet,
                fiscal_year=column_year,
                kind=kind,
                position=i,
                expense_class=expense_class,
                description=rng.choice(EXPENSE_ITEMS),
                amount=share,
            )
    for cost_year in (year - 2, year - 1):
        amounts = _cost_amounts(rng, plan, cost_year)
        for account, amount in amounts.items():
            rows.leaf(CostLine, sheet=sheet, fiscal_year=cost_year, account=account, amount=amount)
        for item, total in cost_totals(amounts).items():
            rows.leaf(StatedCostTotal, sheet=sheet, fiscal_year=cost_year, item=CostTotal(item), amount=total)
    money = [(year - 1, AmountBasis.SETTLEMENT, plan.settlement[year - 1]), (year, AmountBasis.BUDGET, plan.budget[year])]
    if plan.has_funding:
        for money_year, basis, total in money:
            national, prefectural = int(total * rng.choice([0, 0.25, 0.5])), int(total * rng.choice([0, 0.125, 0.25]))
            other = int(total * rng.choice([0, 0, 0.05]))
            general = total - national - prefectural - other
            rows.leaf(
                FundingYear,
                sheet=sheet,
                fiscal_year=money_year,
                basis=basis,
                national=national,
                prefectural=prefectural,
                bonds=0,
                other_specific=other,
                general=general,
            )
    if plan.persons is not None:
        for money_year, basis, _ in money:
            hours = int(plan.persons * 1840)
            rows.leaf(
                PersonnelCost,
                sheet=sheet,
                fiscal_year=money_year,
                basis=basis,
                persons=plan.persons,
                persons_decimals=2,
                hours=Decimal(hours),
                hours_decimals=0,
                amount=int(plan.persons * 8600),
            )
    for indicator in plan.indicators:
        row = Indicator(
            sheet=sheet,
            kind=IndicatorKind.OUTCOME,
            number=indicator.number,
            name=indicator.name,
            unit=indicator.unit,
            description=f"{plan.topic[0]}の{indicator.name}",
            direction=indicator.direction,
            target=indicator.target,
            target_decimals=indicator.decimals,
            target_fiscal_year=year + 5,
        )
        rows.add(parts, row)
        for value_year in range(year - INDICATOR_YEARS + 1, year + 1):
            value = indicator.values[value_year]
            rows.leaf(
                IndicatorValue,
                indicator=row,
                fiscal_year=value_year,
                value=value,
                decimals=indicator.decimals,
                is_estimate=value_year == year,
            )
    position = 0
    for activity in plan.activities:
        for item_plan, parent in [(activity, None), *((child, activity) for child in activity.children)]:
            item = ActivityItem(sheet=sheet, position=position, name=item_plan.name, unit=item_plan.unit)
            position += 1
            if parent is None:
                parent_row = item
                rows.add(parts, item)
            else:
                item.parent = parent_row
                rows.add(rows.children, item)
            for value_year in range(year - BUDGET_YEARS + 1, year + 1):
                rows.leaf(
                    ActivityValue,
                    item=item,
                    fiscal_year=value_year,
                    value=item_plan.values[value_year],
                    is_estimate=value_year == year,
                )


# ---------------------------------------------------------------- writing


def _insert(model, objects: list) -> None:
    # bulk_create sets each object's primary key (PostgreSQL and SQLite ≥ 3.35 return it), so the next level's
    # foreign keys to these objects are filled in when that level is inserted.
    model.objects.bulk_create(objects, batch_size=BATCH)


def _leaf_columns(model) -> list[tuple[str, bool, object]]:
    """The columns of `model` written for a leaf row: (field name, is a foreign key, the default when not given)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return [(f.name, f.is_relation, None if f.is_relation else f.get_default()) for f in fields]


def _plain(value):
    return value.value if isinstance(value, Enum) else value


def _pk(obj):
    """A foreign key's value: its parent's primary key, or None for an optional relation not given (Improvement.previous,
    added by migration 0020, which generated rows leave empty)."""
    return None if obj is None else obj.pk


def _insert_leaves(model, rows: list[dict]) -> None:
    """Write rows nothing points at straight through the cursor, from their field values, without model instances or
    bulk_create's per-object preparation and SQL compilation, which cost more than the database's own work: COPY on
    PostgreSQL, executemany on SQLite. The values are plain (no auto_now, no custom database conversions: checked by
    the tests' round trip); a field not given takes its default, as a model instance would; a foreign key is read
    from its parent object, saved by then (an optional one not given is NULL)."""
    if not rows:
        return
    columns = _leaf_columns(model)
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), [quote(model._meta.get_field(name).column) for name, _, _ in columns]
    values = [
        tuple(_pk(row.get(name)) if relation else _plain(row.get(name, default)) for name, relation, default in columns)
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: no SQL text per row for the driver to build or the server to parse
            text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in values)
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(names)}) FROM STDIN", io.StringIO(text))
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", values)


# COPY's text format: a backslash, newline, carriage return and tab in a value are escaped; \N is NULL
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_text(value) -> str:
    """One value in PostgreSQL COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)  # int, Decimal


def _rows_insert(rows: Rows, counts: dict[str, int]) -> None:
    for model, objects in [(Sheet, rows.sheets), *rows.parts.items(), *rows.children.items(), *rows.leaves.items()]:
        counts[model.__name__] = counts.get(model.__name__, 0) + len(objects)
    _insert(Sheet, rows.sheets)
    for model, objects in rows.parts.items():  # indicators and 実績 items: their values point at them
        _insert(model, objects)
    _insert(ActivityItem, rows.children.pop(ActivityItem, []))  # sub-items before the values that point at them
    for model, values in rows.leaves.items():
        _insert_leaves(model, values)


def _ward_structure(rng: random.Random, *, ward: int, size: DemoSize) -> tuple[Municipality, list[ProgramPlan]]:
    """The ward, its population, 分野/政策/施策, 部/課 and programs (saved), each program's plan over its years."""
    municipality = Municipality.objects.create(
        code=demo_code(ward), name=f"架空第{ward}区", prefecture=DEMO_PREFECTURE, kind=MunicipalityKind.SPECIAL_WARD
    )
    population = rng.randint(70_000, 900_000)
    all_years = list(range(size.fiscal_years[0] - BUDGET_YEARS, size.last_year + 1))
    MunicipalityPopulation.objects.bulk_create(
        MunicipalityPopulation(
            municipality=municipality,
            fiscal_year=year,
            population=int(population * (1 + 0.004 * (year - all_years[0]))),
            note="架空の人口（デモデータ）",
        )
        for year in all_years
    )
    policy_fields = PolicyField.objects.bulk_create(
        PolicyField(municipality=municipality, code=code, name=name) for code, name in FIELDS
    )
    policies, measures = [], []
    topics = iter(rng.sample(TOPICS, len(TOPICS)) * 10)
    number = 0
    for policy_field in policy_fields:
        for _ in range(rng.randint(2, 3)):
            number += 1
            theme = next(topics)[2]
            policies.append(Policy(field=policy_field, code=f"{number:02d}", name=f"{theme}{rng.choice(POLICY_WORDS)}"))
    Policy.objects.bulk_create(policies)
    for policy in policies:
        for measure_number in range(1, rng.randint(2, 4) + 1):
            name = f"{next(topics)[0]}の{rng.choice(MEASURE_WORDS)}"
            measures.append(Measure(policy=policy, code=f"{measure_number:02d}", name=name))
    Measure.objects.bulk_create(measures)
    departments = Department.objects.bulk_create(Department(municipality=municipality, name=name) for name, _ in DEPARTMENTS)
    sections = Section.objects.bulk_create(
        Section(department=department, name=name)
        for department, (_, names) in zip(departments, DEPARTMENTS, strict=True)
        for name in names
    )
    section_codes = {}
    for section in sections:
        department_number = departments.index(section.department) + 1
        section_codes[section] = (department_number, sum(1 for s in section_codes if s.department == section.department) + 1)
    programs, plans, counters = [], [], {}
    for _ in range(size.programs):
        section = rng.choice(sections)
        counters[section] = counters.get(section, 0) + 1
        department_number, section_number = section_codes[section]
        topic = rng.choice(TOPICS)
        program = Program(
            municipality=municipality,
            code=f"{department_number:02d}-{section_number:02d}-{counters[section]:02d}",
            name=f"{topic[0]}{rng.choice(SUFFIXES)}",
        )
        programs.append(program)
        plans.append(
            _program_plan(rng, program=program, section=section, measure=rng.choice(measures), topic=topic, years=all_years)
        )
    Program.objects.bulk_create(programs, batch_size=BATCH)
    return municipality, plans


def improvements_link(*, municipality: Municipality) -> None:
    """The 改善策 trails of a generated ward in one statement: each row linked to the row of the same number on the
    same program's sheet of the previous fiscal year (whose 「当年度以降」 _sheet_rows copied into this year's plan).
    The rows are written without primary keys (COPY), so the link is made in the database, not per row."""
    quote = connection.ops.quote_name
    improvement, sheet, program = (quote(m._meta.db_table) for m in (Improvement, Sheet, Program))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {improvement} SET previous_id = (
                    SELECT p.id FROM {improvement} p
                    JOIN {sheet} ps ON ps.id = p.sheet_id
                    JOIN {sheet} s ON s.id = {improvement}.sheet_id
                    WHERE ps.program_id = s.program_id AND ps.fiscal_year = s.fiscal_year - 1
                      AND p.number = {improvement}.number)
                WHERE sheet_id IN (
                    SELECT s.id FROM {sheet} s JOIN {program} g ON g.id = s.program_id WHERE g.municipality_id = %s)""",
            [municipality.pk],
        )


def stored_refresh(*, sheet_ids: list[int]) -> None:
    """Refresh what is stored per sheet from its rows, which the bulk inserts wrote past the services that keep it
    current: the figures and the data-quality findings (programs.figures.sheet_stored_refresh, in batches). The
    類似する事務事業 are refreshed once after every ward (management command generate_demo)."""
    sheet_stored_refresh(sheet_ids, similar=False)


def demo_generate(*, size: DemoSize, progress: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Generate `size.wards` fictional wards (skipping a ward whose 団体コード exists) and return rows per model."""
    counts: dict[str, int] = {}
    for ward in range(1, size.wards + 1):
        if Municipality.objects.filter(code=demo_code(ward)).exists():
            progress(f"{demo_code(ward)} 架空第{ward}区: 作成済みのため飛ばします（作り直すには --clear）")
            continue
        rng = random.Random(f"evalsheets-demo:{size.seed}:{ward}")
        with transaction.atomic():
            municipality, plans = _ward_structure(rng, ward=ward, size=size)
            sheet_ids = []
            for year in size.fiscal_years:
                rows = Rows()
                year_rng = random.Random(f"evalsheets-demo:{size.seed}:{ward}:{year}")
                for plan in plans:
                    _sheet_rows(year_rng, plan, year, rows)
                _rows_insert(rows, counts)
                sheet_ids += [sheet.pk for sheet in rows.sheets]
            improvements_link(municipality=municipality)
            program_kinds_assign(program_ids=[plan.program.pk for plan in plans])
            stored_refresh(sheet_ids=sheet_ids)
        counts["Program"] = counts.get("Program", 0) + len(plans)
        progress(f"{municipality.code} {municipality.name}: {len(plans)} 事業 × {size.years} 年度")
    return counts


def _iter_reverse_cascades(model) -> Iterator:
    for relation in model._meta.related_objects:
        # a self-reference (an 実績 sub-item's parent) points within the same rows, deleted by the same statement
        if relation.on_delete is models.CASCADE and not relation.many_to_many and relation.related_model is not model:
            yield relation


def _delete_under(queryset: models.QuerySet) -> int:
    """Delete the rows of `queryset` and, first, every row that cascades from them — with plain DELETE statements
    (no per-row signals or history rows: millions of generated rows) and their history rows too."""
    model = queryset.model
    deleted = 0
    for relation in _iter_reverse_cascades(model):
        children = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": queryset.values("pk")})
        deleted += _delete_under(children)
    history = getattr(model, "history", None)
    if history is not None:
        history.model._base_manager.filter(id__in=queryset.values("pk"))._raw_delete(queryset.db)
    return deleted + queryset._raw_delete(queryset.db)


@transaction.atomic
def demo_clear() -> int:
    """Remove the generated municipalities and everything under them; returns the number of rows deleted."""
    municipalities = demo_municipalities()
    deleted = _delete_under(Sheet._base_manager.filter(program__municipality__in=municipalities))
    for model, path in [
        (Program, "municipality"),
        (Measure, "policy__field__municipality"),
        (Policy, "field__municipality"),
        (PolicyField, "municipality"),
        (Section, "department__municipality"),
        (Department, "municipality"),
        (MunicipalityPopulation, "municipality"),
    ]:
        deleted += model.objects.filter(**{f"{path}__in": municipalities}).delete()[0]
    return deleted + municipalities.delete()[0]
