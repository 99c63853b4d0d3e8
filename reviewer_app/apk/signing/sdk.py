"""Android API levels at which the signature rules change, and the version names reviewers read.

Every other module of the package states its rules in these terms; `INT_MAX` stands for "no upper
bound" (apksig's Integer.MAX_VALUE) in SDK ranges and sizes.
"""

from __future__ import annotations

INT_MAX = 0x7FFFFFFF

# Android API levels that change the rules.
SDK_GINGERBREAD = 9
SDK_JELLY_BEAN_MR2 = 18
SDK_KITKAT = 19
SDK_LOLLIPOP = 21
SDK_N = 24
SDK_O = 26
SDK_P = 28
SDK_R = 30
SDK_T = 33


ANDROID_VERSIONS = {
    1: "1.0",
    2: "1.1",
    3: "1.5",
    4: "1.6",
    5: "2.0",
    6: "2.0.1",
    7: "2.1",
    8: "2.2",
    9: "2.3",
    10: "2.3.3",
    11: "3.0",
    12: "3.1",
    13: "3.2",
    14: "4.0",
    15: "4.0.3",
    16: "4.1",
    17: "4.2",
    18: "4.3",
    19: "4.4",
    20: "4.4W",
    21: "5.0",
    22: "5.1",
    23: "6.0",
    24: "7.0",
    25: "7.1",
    26: "8.0",
    27: "8.1",
    28: "9",
    29: "10",
    30: "11",
    31: "12",
    32: "12L",
    33: "13",
    34: "14",
    35: "15",
    36: "16",
}


def _android(api: int) -> str:
    return ANDROID_VERSIONS.get(api, f"API {api}")
