"""Identifier checks (标识符校验) of public registries, with the reason a value fails.

Each ``check_*`` returns the compact, canonical form or raises :class:`IdentifierError` with a
sentence naming what is wrong.
"""

from __future__ import annotations

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


class IdentifierError(ValueError):
    """An identifier is malformed; the message says how."""


def check_uscc(value: str) -> str:
    """统一社会信用代码 (GB 32100-2015): 18 characters whose last one is a check character."""
    try:
        return str(_uscc.validate(value))
    except InvalidLength:
        raise IdentifierError("a unified social credit code has 18 characters") from None
    except InvalidChecksum:
        compact = str(_uscc.compact(value))
        expected = _uscc.calc_check_digit(compact[:17])
        raise IdentifierError(
            f"the check character of unified social credit code {compact} is wrong "
            f"(expected {expected}, got {compact[17]})"
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise IdentifierError(
            "a unified social credit code uses digits and the letters A-Y except I, O, S, V and Z"
        ) from None


def uscc_with_check_character(first17: str) -> str:
    """Complete 17 characters into a valid USCC by appending its check character."""
    return first17 + str(_uscc.calc_check_digit(first17))
