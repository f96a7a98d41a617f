"""GB/T 2260 names and codes, as plain functions (no database): shared by the selectors and the script
that builds the region table."""

from __future__ import annotations

SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "矿区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)
# Ethnic groups as they appear inside autonomous divisions' names (景宁畲族自治县, 新疆维吾尔自治区).
ETHNIC_NAMES = (
    "各族 汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 "
    "傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 "
    "仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 维吾尔 蒙古 鄂伦春"
)
ETHNIC = tuple(ETHNIC_NAMES.split())


def region_short_name(name: str) -> str:
    """The name without its kind and ethnic groups: 富阳区 → 富阳, 浦东新区 → 浦东, 清新区 → 清新,
    景宁畲族自治县 → 景宁, 广西壮族自治区 → 广西.

    A suffix is only taken off when at least two characters remain (so 清新区 loses 区, not 新区); "" when
    no suffix can be (横县, 城区), as those are not names of their own.
    """
    too_short = False
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            if len(name) - len(suffix) >= 2:
                name = name[: -len(suffix)]
                too_short = False
                break
            too_short = True
    if too_short:
        return ""
    stripped = True
    while stripped:
        stripped = False
        for ethnic in ETHNIC:
            if name.endswith(ethnic) and len(name) - len(ethnic) >= 2:
                name = name[: -len(ethnic)]
                stripped = True
    return name if len(name) >= 2 else ""


def region_prefix(code: str) -> str:
    """The part of a GB/T 2260 code its subdivisions share: 330000 → "33", 330100 → "3301"."""
    code = code or ""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code
