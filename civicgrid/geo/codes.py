"""Official division codes: normalisation, level, parent and display names."""

from __future__ import annotations

import re

from civicgrid.geo.choices import GRID_CODE_LENGTH, LEVEL_BY_LENGTH, Level

_LENGTHS = (2, 4, 6, 9, 12)


class CodeError(ValueError):
    pass


def normalise_code(raw: str) -> str:
    """Turn a published code into its materialised-path form.

    ``52``, ``5201``, ``520102``, ``520102001``, ``520102001001`` are kept as they are; a
    12-digit zero-padded code (``520100000000``) loses its padding by level, because real
    codes never have a 00 district, 000 street or 000 community serial.
    """
    code = raw.strip()
    if "E+" in code.upper():
        raise CodeError("代码被表格软件写成了科学计数法,请把代码列设为文本后重新导出")
    if not code.isdigit() or not code.isascii():
        raise CodeError("代码只能包含数字")
    if len(code) not in _LENGTHS:
        raise CodeError(f"代码长度应为 2、4、6、9 或 12 位,实际为 {len(code)} 位")
    if len(code) == 12:
        if code[9:] == "000":
            code = code[:9]
            if code[6:] == "000":
                code = code[:6]
                if code[4:] == "00":
                    code = code[:4]
                    if code[2:] == "00":
                        code = code[:2]
    if code == "00":
        raise CodeError("代码不能全为 0")
    return code


def level_of(code: str) -> Level:
    try:
        return LEVEL_BY_LENGTH[len(code)]
    except KeyError as exc:
        raise CodeError(f"无法识别的代码长度 {len(code)}") from exc


def parent_code(code: str) -> str | None:
    """The code one level up, or None for a province."""
    if len(code) == GRID_CODE_LENGTH:
        return code[:12]
    index = _LENGTHS.index(len(code))
    return code[: _LENGTHS[index - 1]] if index > 0 else None


def ancestor_codes(code: str) -> list[str]:
    """All prefixes of ``code`` at official lengths, top first, excluding itself."""
    return [code[:n] for n in (*_LENGTHS, GRID_CODE_LENGTH) if n < len(code)]


_SUFFIXES = [
    (re.compile(r"(社区)?居民委员会$"), "社区"),
    (re.compile(r"(社区)?居委会$"), "社区"),
    (re.compile(r"村民委员会$"), "村"),
    (re.compile(r"村委会$"), "村"),
    (re.compile(r"街道办事处$"), "街道"),
    (re.compile(r"办事处$"), "街道"),
    (re.compile(r"人民政府$"), ""),
]


def short_name(name: str) -> str:
    """``多福巷社区居委会`` → ``多福巷社区``; ``中华南路街道办事处`` → ``中华南路街道``."""
    value = name.strip()
    for pattern, replacement in _SUFFIXES:
        if pattern.search(value):
            stem = pattern.sub("", value)
            if replacement and stem.endswith(replacement):
                return stem
            return stem + replacement
    return value
