"""GB/T 2260 regions: the whole country, with history; Zhejiang and Guangxi complete to 2021."""

import datetime as dt

import pytest

from medtalent.codes.models import Code
from medtalent.codes.regionnames import region_short_name
from medtalent.codes.selectors import code_get, codes_for_table, region_resolve

pytestmark = pytest.mark.django_db

ZHEJIANG_CITIES = {
    "330100": "杭州市",
    "330200": "宁波市",
    "330300": "温州市",
    "330400": "嘉兴市",
    "330500": "湖州市",
    "330600": "绍兴市",
    "330700": "金华市",
    "330800": "衢州市",
    "330900": "舟山市",
    "331000": "台州市",
    "331100": "丽水市",
}
GUANGXI_CITIES = {
    "450100": "南宁市",
    "450200": "柳州市",
    "450300": "桂林市",
    "450400": "梧州市",
    "450500": "北海市",
    "450600": "防城港市",
    "450700": "钦州市",
    "450800": "贵港市",
    "450900": "玉林市",
    "451000": "百色市",
    "451100": "贺州市",
    "451200": "河池市",
    "451300": "来宾市",
    "451400": "崇左市",
}
HANGZHOU_NOW = {
    "330102": "上城区",
    "330105": "拱墅区",
    "330106": "西湖区",
    "330108": "滨江区",
    "330109": "萧山区",
    "330110": "余杭区",
    "330111": "富阳区",
    "330112": "临安区",
    "330113": "临平区",
    "330114": "钱塘区",
    "330122": "桐庐县",
    "330127": "淳安县",
    "330182": "建德市",
}


def region(code: str) -> Code:
    return code_get(table_slug="region", code=code)


def current_children(code: str) -> dict[str, str]:
    return {c.code: c.name_zh for c in codes_for_table(table="region", parent=code, include_historical=False)}


def test_zhejiang_and_guangxi_cities_are_all_present_and_current():
    assert current_children("330000") == ZHEJIANG_CITIES
    assert current_children("450000") == GUANGXI_CITIES


def test_county_level_divisions_of_zhejiang_and_guangxi_in_force():
    current = codes_for_table(table="region", include_historical=False).filter(level=3)
    assert (current.filter(code__startswith="33").count(), current.filter(code__startswith="45").count()) == (90, 111)
    assert current_children("330100") == HANGZHOU_NOW


def test_whole_country_with_taiwan_hong_kong_and_macao():
    provinces = {c.code: c.name_zh for c in codes_for_table(table="region", parent=None).filter(level=1)}
    assert len(provinces) == 34
    assert [provinces[c] for c in ("710000", "810000", "820000")] == ["台湾省", "香港特别行政区", "澳门特别行政区"]
    assert codes_for_table(table="region", include_historical=False).count() > 3000
    assert region("110101").parent.code == "110000"  # no 市辖区 grouping rows
    assert region("429004").parent.code == "420000"  # 仙桃市, under the province directly


def test_fuyang_city_is_historical_with_successor_fuyang_district():
    fuyang_city = region("330183")
    assert (fuyang_city.name_zh, fuyang_city.is_current, fuyang_city.successor.code) == ("富阳市", False, "330111")
    assert (fuyang_city.valid_from, fuyang_city.valid_to) == (dt.date(1995, 12, 31), dt.date(2014, 12, 31))
    fuyang_district = region("330111")
    assert (fuyang_district.name_zh, fuyang_district.is_current, fuyang_district.parent.code) == (
        "富阳区",
        True,
        "330100",
    )


@pytest.mark.parametrize(
    ("code", "successor"),
    [
        ("330185", "330112"),  # 临安市 → 临安区, 2017
        ("330103", "330105"),  # 下城区 → 拱墅区, 2021
        ("330104", "330102"),  # 江干区 → 上城区, 2021
        ("330204", "330212"),  # 江东区 → 鄞州区, 2016
        ("450127", "450181"),  # 横县 → 横州市, 2021
        ("451023", "451082"),  # 平果县 → 平果市, 2019
        ("451021", "451003"),  # 田阳县 → 田阳区, 2019
        ("450331", "450381"),  # 荔浦县 → 荔浦市, 2018
    ],
)
def test_renamed_and_merged_divisions_point_at_their_successor(code, successor):
    old = region(code)
    assert (old.is_current, old.successor.code, region(successor).is_current) == (False, successor, True)


def test_divisions_created_after_the_packaged_data():
    assert [(c, region(c).name_zh, region(c).valid_from) for c in ("330113", "330114", "330383", "451082")] == [
        ("330113", "临平区", dt.date(2021, 3, 11)),
        ("330114", "钱塘区", dt.date(2021, 3, 11)),
        ("330383", "龙港市", dt.date(2019, 8, 16)),
        ("451082", "平果市", dt.date(2019, 12, 26)),
    ]


@pytest.mark.parametrize(
    "name",
    ["富阳市", "富阳", "杭州市富阳区", "富阳区", "浙江省杭州市富阳区", "杭州富阳", " 富阳县 "],
)
def test_region_resolve_finds_fuyang_district_from_any_form(name):
    assert region_resolve(name=name).code == "330111"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("江干区", "330102"),
        ("临安", "330112"),
        ("横县", "450181"),
        ("广西", "450000"),
        ("景宁", "331127"),
        ("北京市东城区", "110101"),
        ("嵊县", "330683"),
    ],
)
def test_region_resolve_other_names(name, code):
    assert region_resolve(name=name).code == code


def test_region_resolve_ambiguous_or_unknown_is_none_unless_scoped():
    assert region_resolve(name="朝阳区") is None  # Beijing and Changchun
    assert region_resolve(name="朝阳区", parent_code="110000").code == "110105"
    assert region_resolve(name="西湖区", parent_code="330100").code == "330106"
    assert region_resolve(name="不存在的地方") is None
    assert region_resolve(name="") is None


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("富阳区", "富阳"),
        ("浦东新区", "浦东"),
        ("清新区", "清新"),
        ("景宁畲族自治县", "景宁"),
        ("广西壮族自治区", "广西"),
        ("横县", ""),
        ("城区", ""),
    ],
)
def test_region_short_name(name, short):
    assert region_short_name(name) == short
