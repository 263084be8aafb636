"""Two-level rewrite of distinct counts (去重计数两级改写) for the hidden group count of the k threshold.

Output control needs each group's row count beside the user's aggregates (:mod:`.disclosure`). Beside
``COUNT(DISTINCT x)`` a plain hidden ``COUNT(*)`` makes DuckDB give up its distinct-aggregate plan and
run markedly slower (bench/access_grant_query.py: 1.6x raw DuckDB at 10M rows). When every aggregate of
the query is ``COUNT(DISTINCT x)`` of one and the same expression ``x`` (or ``COUNT(*)``), the same
result comes from two levels::

    SELECT keys..., COUNT(v), CAST(COALESCE(SUM(n), 0) AS BIGINT) AS hidden_count
    FROM (SELECT keys..., x AS v, COUNT(*) AS n FROM ... WHERE ... GROUP BY keys..., x)
    GROUP BY keys...

The inner level has one row per group and distinct value of ``x`` (NULL included, as a value of its
own), so ``COUNT(v)`` counts the group's distinct non-NULL values, exactly what ``COUNT(DISTINCT x)``
counts, and ``SUM(n)`` adds up to the group's rows, exactly what ``COUNT(*)`` counts (``COALESCE``
gives the 0 that ``COUNT(*)`` gives over no rows at all). Any other aggregate, a second distinct
expression, a ``FILTER`` or a column outside the keys would change meaning at the outer level, so such
queries keep the plain rewrite (:func:`two_level` returns ``None``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from logispace.domains.access.delivery.grammar import AGGREGATES

if TYPE_CHECKING:
    from logispace.domains.access.delivery.check import CheckedQuery

GROUPS = "__logispace_groups"  # the inner level's alias
VALUE = "__logispace_value"  # the distinct-counted expression, one row per key and value
ROWS = "__logispace_rows"  # the inner level's COUNT(*)
_KEY = "__logispace_key_{}"  # the GROUP BY keys, in order
# What a checked SELECT may carry for the rewrite to apply; anything else keeps the plain path.
_CLAUSES = frozenset(
    {"expressions", "from_", "joins", "where", "group", "having", "order", "limit", "offset"}
)


class _NotExact(Exception):
    """The outer level would not compute the same value: keep the plain rewrite."""


def two_level(query: CheckedQuery, hidden: str) -> exp.Select | None:
    """``query`` with its ``COUNT(DISTINCT x)`` outputs and the hidden group count (named ``hidden``, the
    last output column) computed in two levels, or ``None`` when that would not give exactly the same rows."""
    select = query.expression
    if any(value for key, value in select.args.items() if value and key not in _CLAUSES):
        return None
    counted = _distinct_expression(select)
    if counted is None:
        return None
    keys = query.keys
    try:
        projections = [
            exp.alias_(_outer(p.unalias(), keys, counted, aliases=False), output.name, quoted=True)
            for p, output in zip(select.expressions, query.outputs, strict=True)
        ]
        having = select.args.get("having")
        order = select.args.get("order")
        outer_having = _outer(having, keys, counted, aliases=True) if having else None
        outer_order = _outer(order, keys, counted, aliases=True) if order else None
    except _NotExact:
        return None
    inner = exp.Select(
        expressions=[
            *(exp.alias_(key.copy(), _KEY.format(i), quoted=True) for i, key in enumerate(keys)),
            exp.alias_(counted.copy(), VALUE, quoted=True),
            exp.alias_(exp.Count(this=exp.Star()), ROWS, quoted=True),
        ]
    )
    for clause in ("from_", "joins", "where"):
        part = select.args.get(clause)
        if part:
            inner.set(clause, [j.copy() for j in part] if clause == "joins" else part.copy())
    inner.set("group", exp.Group(expressions=[*(k.copy() for k in keys), counted.copy()]))
    outer = exp.Select(expressions=[*projections, exp.alias_(_group_rows(), hidden, quoted=True)])
    outer.set("from_", exp.From(this=exp.Subquery(this=inner, alias=exp.TableAlias(this=_name(GROUPS)))))
    if keys:
        outer.set(
            "group",
            exp.Group(expressions=[exp.column(_KEY.format(i), quoted=True) for i in range(len(keys))]),
        )
    outer.set("having", outer_having)
    outer.set("order", outer_order)
    for clause in ("limit", "offset"):
        part = select.args.get(clause)
        if part is not None:
            outer.set(clause, part.copy())
    return outer


def _distinct_expression(select: exp.Select) -> exp.Expr | None:
    """The one expression every ``COUNT(DISTINCT ...)`` of the query counts, if there is exactly one."""
    counted: list[exp.Expr] = []
    for count in select.find_all(exp.Count):
        target = count.this
        if isinstance(target, exp.Distinct):
            if len(target.expressions) != 1:
                return None
            if not any(target.expressions[0] == c for c in counted):
                counted.append(target.expressions[0])
    return counted[0] if len(counted) == 1 else None


def _outer(node: exp.Expr, keys: tuple[exp.Expr, ...], counted: exp.Expr, *, aliases: bool) -> exp.Expr:
    """``node`` rewritten for the outer level: keys become the inner level's key columns, the distinct
    count ``COUNT(v)``, ``COUNT(*)`` the sum of the inner counts. Raises :class:`_NotExact` on anything
    else that reads rows. ``aliases``: an unqualified name may name an output column (HAVING, ORDER BY)."""

    def rewrite(part: exp.Expr) -> exp.Expr:
        for index, key in enumerate(keys):
            if part == key:
                return exp.column(_KEY.format(index), quoted=True)
        if isinstance(part, exp.Count):
            target = part.this
            if isinstance(target, exp.Star):
                return _group_rows()
            if isinstance(target, exp.Distinct) and target.expressions[0] == counted:
                return exp.Count(this=exp.column(VALUE, quoted=True))
            raise _NotExact
        if type(part) in AGGREGATES or isinstance(part, exp.Filter):
            raise _NotExact
        if isinstance(part, exp.Column) and (part.table or not aliases):
            raise _NotExact
        return part

    return node.transform(rewrite)


def _group_rows() -> exp.Expr:
    """The group's row count from the inner counts: ``CAST(COALESCE(SUM(n), 0) AS BIGINT)``."""
    total = exp.Coalesce(
        this=exp.Sum(this=exp.column(ROWS, quoted=True)), expressions=[exp.Literal.number(0)]
    )
    return exp.cast(total, exp.DataType.build("BIGINT"))


def _name(text: str) -> exp.Identifier:
    return exp.to_identifier(text, quoted=True)
