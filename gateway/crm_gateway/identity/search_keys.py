"""What a directory search may match a user by (ADM-16): user code, name and pinyin.

Every key is stored lower-case in `user_search_keys` and searched as a prefix (`key LIKE 'q%'`),
which a btree index answers at any size. So that a prefix search also finds what sits inside a
name, a name is stored with every suffix (三 finds 张三), and its pinyin from every syllable on
(`ming` and `xm` find 王小明). A character with several readings (曾 ceng/zeng, 单 dan/shan)
gives a key per reading, up to MAX_READINGS combinations: nobody has to know which one is right.
"""
import os
from itertools import islice, product

MAX_READINGS = 16
MAX_KEY = 200


def _readings(name: str) -> list[list[str]]:
    """Each combination of readings as a list of syllables (non-Chinese runs come through whole)."""
    # Imported on the first name saved, and without pypinyin's phrase dictionary: that one is 41 MiB
    # resident in every gateway process for the rare user saved, and a name is no phrase; each
    # character then gives all its readings, which is what a search by any reading wants.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import Style, pinyin

    syllables = pinyin(name, style=Style.NORMAL, heteronym=True, errors=lambda text: [text])
    return [list(combo) for combo in islice(product(*syllables), MAX_READINGS)]


def search_keys(code: str | None, name: str | None) -> set[str]:
    keys = set()
    if code:
        keys.add(code.lower())
    compact = "".join((name or "").split()).lower()
    keys.update(compact[start:] for start in range(len(compact)))
    for syllables in _readings(compact) if compact else ():
        syllables = [s.lower() for s in syllables if s.strip()]
        for start in range(len(syllables)):
            keys.add("".join(syllables[start:]))
            keys.add("".join(s[0] for s in syllables[start:]))
    return {key[:MAX_KEY] for key in keys if key}
