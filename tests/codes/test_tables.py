"""The shipped national-standard code tables, as the session fixture loads them."""

import pytest

from medtalent.codes.models import Code, CodeTable
from medtalent.codes.selectors import code_get, code_table_get, codes_for_table

pytestmark = pytest.mark.django_db

ETHNIC_GROUPS = [
    ("01", "汉族", "Han"),
    ("02", "蒙古族", "Mongol"),
    ("03", "回族", "Hui"),
    ("04", "藏族", "Tibetan"),
    ("05", "维吾尔族", "Uygur"),
    ("06", "苗族", "Miao"),
    ("07", "彝族", "Yi"),
    ("08", "壮族", "Zhuang"),
    ("09", "布依族", "Bouyei"),
    ("10", "朝鲜族", "Korean"),
    ("11", "满族", "Manchu"),
    ("12", "侗族", "Dong"),
    ("13", "瑶族", "Yao"),
    ("14", "白族", "Bai"),
    ("15", "土家族", "Tujia"),
    ("16", "哈尼族", "Hani"),
    ("17", "哈萨克族", "Kazak"),
    ("18", "傣族", "Dai"),
    ("19", "黎族", "Li"),
    ("20", "傈僳族", "Lisu"),
    ("21", "佤族", "Va"),
    ("22", "畲族", "She"),
    ("23", "高山族", "Gaoshan"),
    ("24", "拉祜族", "Lahu"),
    ("25", "水族", "Sui"),
    ("26", "东乡族", "Dongxiang"),
    ("27", "纳西族", "Naxi"),
    ("28", "景颇族", "Jingpo"),
    ("29", "柯尔克孜族", "Kirgiz"),
    ("30", "土族", "Tu"),
    ("31", "达斡尔族", "Daur"),
    ("32", "仫佬族", "Mulam"),
    ("33", "羌族", "Qiang"),
    ("34", "布朗族", "Blang"),
    ("35", "撒拉族", "Salar"),
    ("36", "毛南族", "Maonan"),
    ("37", "仡佬族", "Gelao"),
    ("38", "锡伯族", "Xibe"),
    ("39", "阿昌族", "Achang"),
    ("40", "普米族", "Pumi"),
    ("41", "塔吉克族", "Tajik"),
    ("42", "怒族", "Nu"),
    ("43", "乌孜别克族", "Uzbek"),
    ("44", "俄罗斯族", "Russian"),
    ("45", "鄂温克族", "Ewenki"),
    ("46", "德昂族", "Deang"),
    ("47", "保安族", "Bonan"),
    ("48", "裕固族", "Yugur"),
    ("49", "京族", "Gin"),
    ("50", "塔塔尔族", "Tatar"),
    ("51", "独龙族", "Derung"),
    ("52", "鄂伦春族", "Oroqen"),
    ("53", "赫哲族", "Hezhen"),
    ("54", "门巴族", "Monba"),
    ("55", "珞巴族", "Lhoba"),
    ("56", "基诺族", "Jino"),
]


def codes(slug: str) -> list[Code]:
    return list(codes_for_table(table=slug))


STANDARDS = {
    "sex": ("GB/T 2261.1-2003", "2003"),
    "ethnicity": ("GB 3304-1991", "1991"),
    "political_status": ("GB/T 4762-1984", "1984"),
    "education": ("GB/T 4658-2006", "2006"),
    "degree": ("GB/T 6864-2003", "2003"),
    "title": ("GB/T 8561-2001", "2001"),
    "region": ("GB/T 2260", "2019-04 + Zhejiang/Guangxi to 2021"),
    "country": ("ISO 3166-1", "pycountry 26.2.16"),
}


def test_each_table_names_its_standard_and_version():
    tables = {t.slug: (t.standard, t.version) for t in CodeTable.objects.filter(slug__in=STANDARDS)}
    assert tables == STANDARDS


def test_every_table_has_name_and_source():
    for table in CodeTable.objects.filter(slug__in=STANDARDS):
        assert (bool(table.name_zh), bool(table.name_en), bool(table.source)) == (True, True, True), table.slug


def test_all_56_ethnic_groups_with_codes_and_names():
    rows = [(c.code, c.name_zh, c.name_en) for c in codes("ethnicity")]
    assert rows[:56] == ETHNIC_GROUPS
    assert rows[56:] == [("97", "其他", "Other"), ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin")]


def test_ethnic_groups_keep_the_standards_romanization_and_letter_code():
    tibetan = code_get(table_slug="ethnicity", code="04")
    assert tibetan.extra == {"romanization": "Zang", "letter_code": "ZA"}


def test_sex_codes():
    assert [(c.code, c.name_zh) for c in codes("sex")] == [
        ("0", "未知的性别"),
        ("1", "男性"),
        ("2", "女性"),
        ("5", "女性改（变）为男性"),
        ("6", "男性改（变）为女性"),
        ("9", "未说明的性别"),
    ]


def test_political_status_codes_01_to_13():
    rows = codes("political_status")
    assert [c.code for c in rows] == [f"{i:02d}" for i in range(1, 14)]
    assert (rows[0].name_zh, rows[-1].name_zh) == ("中国共产党党员", "群众")


def test_education_is_two_level_with_comparable_ranks():
    bachelor = code_get(table_slug="education", code="21")
    assert (bachelor.name_zh, bachelor.parent.code, bachelor.parent.name_zh, bachelor.level) == (
        "大学本科毕业",
        "20",
        "大学本科教育",
        2,
    )
    rank = {c.code: c.extra["rank"] for c in codes("education")}
    assert rank["11"] > rank["14"] > rank["21"] > rank["31"] > rank["41"] > rank["71"] > rank["81"]
    bachelor_or_above = sorted(c.code for c in codes("education") if c.level == 2 and c.extra["rank"] >= rank["21"])
    assert bachelor_or_above == ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"]
    assert [c.code for c in codes("education") if c.level == 1] == ["10", "20", "30", "40", "60", "70", "80", "90"]


def test_degrees_include_medicine_and_clinical_professional_degrees():
    by_code = {c.code: c for c in codes("degree")}
    assert [by_code[c].name_zh for c in ("1", "2", "3", "4")] == ["名誉博士", "博士", "硕士", "学士"]
    assert [(c, by_code[c].name_zh, by_code[c].parent.code) for c in ("210", "245", "310", "345", "410")] == [
        ("210", "医学博士学位", "2"),
        ("245", "临床医学博士专业学位", "2"),
        ("310", "医学硕士学位", "3"),
        ("345", "临床医学硕士专业学位", "3"),
        ("410", "医学学士学位", "4"),
    ]
    assert by_code["245"].extra == {"rank": 30, "discipline": "medicine", "professional": True}
    assert by_code["210"].extra["rank"] > by_code["310"].extra["rank"] > by_code["410"].extra["rank"]
    assert by_code["1"].extra == {"rank": 0, "honorary": True}


def test_health_titles_by_series_with_grade_and_rank():
    rows = codes("title")
    assert [c.code for c in rows if c.level == 1] == ["230", "240", "250", "260"]
    physician = [
        (c.code, c.name_zh, c.extra["grade"], c.extra["grade_zh"]) for c in rows if c.parent_id and c.code < "240"
    ]
    assert physician == [
        ("231", "主任医师", "senior", "正高"),
        ("232", "副主任医师", "associate_senior", "副高"),
        ("233", "主治医师", "intermediate", "中级"),
        ("234", "医师", "junior", "初级(师)"),
        ("235", "医士", "assistant", "初级(士)"),
    ]
    intermediate = code_get(table_slug="title", code="253").extra["rank"]
    nurses_intermediate_or_above = [
        c.name_zh for c in rows if c.extra.get("rank", 0) >= intermediate and c.code[:2] == "25"
    ]
    assert nurses_intermediate_or_above == ["主任护师", "副主任护师", "主管护师"]


def test_all_249_countries_with_alpha3_numeric_and_mainland_names():
    rows = {c.code: c for c in codes("country")}
    assert len(rows) == 249
    assert (rows["FR"].name_zh, rows["FR"].name_en, rows["FR"].extra) == (
        "法国",
        "France",
        {"alpha3": "FRA", "numeric": "250"},
    )
    assert [rows[c].name_zh for c in ("CN", "TW", "HK", "MO")] == ["中国", "中国台湾", "中国香港", "中国澳门"]


def test_tables_found_by_loosely_written_standard():
    keys = [
        "GB3304",
        "gb-t-2261.1",
        "GB/T 2260",
        "iso3166",
        "ISO 3166-1",
        "GB/T 4658-2006",
        "gb6864",
        "GB 8561",
        "ethnicity",
    ]
    assert [code_table_get(key=k).slug for k in keys] == [
        "ethnicity",
        "sex",
        "region",
        "country",
        "country",
        "education",
        "degree",
        "title",
        "ethnicity",
    ]
    assert code_table_get(key="GB 9999") is None
    assert code_table_get(key="") is None
