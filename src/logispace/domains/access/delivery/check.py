"""Sandbox SQL checker (沙箱查询检查): one aggregate SELECT over the granted tables and columns, nothing else.

The query is parsed with sqlglot in the DuckDB dialect and checked node by node against allow lists:
a statement kind, the clauses of one SELECT, the expression kinds, the scalar and aggregate functions.
Anything not on a list is refused, so a new way to reach outside (a table function, a file path, a
system catalog, an extension) is refused before anyone has thought of it. What runs afterwards is the
SQL regenerated from the checked tree, without comments, with every table and column name rewritten
to its granted spelling; the user's text itself never reaches an engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokenizer_core import TokenType

from logispace.domains.access.delivery.errors import (
    SandboxColumnNotGranted,
    SandboxForbiddenFunction,
    SandboxMultipleStatements,
    SandboxNotAggregate,
    SandboxNotSelect,
    SandboxSensitiveColumn,
    SandboxSyntax,
    SandboxTableNotGranted,
    SandboxUnsupported,
)
from logispace.domains.access.delivery.grammar import (
    AGGREGATES,
    KNOWN,
    STATEMENT_WORDS,
    SYSTEM_PREFIXES,
    UNSUPPORTED,
    VAR_PARENTS,
)
from logispace.domains.access.delivery.masking import RULES

if TYPE_CHECKING:
    from logispace.domains.access.delivery.schemas import GrantedTable

DIALECT = "duckdb"


@dataclass(frozen=True)
class Output:
    """One output column of a checked query: its name and what it is."""

    name: str
    kind: str  # "key" (a GROUP BY key), "aggregate", "constant"
    function: str | None  # the aggregate's name for a bare aggregate (COUNT, SUM, ...), else None
    argument: tuple[str, str] | None  # (table, column) when the bare aggregate's argument is a column
    distinct: bool  # COUNT(DISTINCT ...)


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed every check, ready to run."""

    expression: exp.Select
    normalized: str  # the DuckDB SQL regenerated from the checked tree (no comments)
    tables: tuple[str, ...]  # the granted tables it reads, in order of appearance
    outputs: tuple[Output, ...]
    grouped: bool
    keys: tuple[exp.Expr, ...]  # the GROUP BY keys as expressions (ordinals and output aliases resolved)


def check_sql(sql: str, tables: Sequence[GrantedTable]) -> str:
    """The normalized SQL of ``sql`` if it may run over ``tables``; raises a refusal otherwise."""
    return analyze(sql, tables).normalized


def analyze(sql: str, tables: Sequence[GrantedTable]) -> CheckedQuery:
    """Check ``sql`` against the grant's ``tables`` and describe its outputs."""
    statement = _one_statement(sql)
    if not isinstance(statement, exp.Select):
        raise _not_select(statement)
    _check_nodes(statement)
    names = [output_name(p) for p in statement.expressions]
    granted = {t.name.lower(): t for t in tables}
    scope = _resolve_tables(statement, granted)
    aliases = {p.alias.lower() for p in statement.expressions if isinstance(p, exp.Alias)}
    _resolve_columns(statement, scope, aliases)
    outputs, keys = _check_aggregate(statement, scope, names)
    normalized = statement.sql(dialect=DIALECT, comments=False)
    touched = tuple(dict.fromkeys(t.name for t in scope.values()))
    grouped = statement.args.get("group") is not None
    return CheckedQuery(statement, normalized, touched, outputs, grouped, tuple(keys))


def _one_statement(sql: str) -> exp.Expr:
    if not sql or not sql.strip():
        raise SandboxSyntax("the SQL is empty: send one SELECT statement")
    dialect = sqlglot.Dialect.get_or_raise(DIALECT)
    try:
        tokens = dialect.tokenize(sql)
    except TokenError as error:
        raise SandboxSyntax(f"the SQL cannot be read: {_first_line(error)}") from error
    for token in tokens:
        for comment in token.comments:
            words = comment.strip().split()
            if ";" in comment or (words and words[0].lower() in STATEMENT_WORDS):
                raise SandboxMultipleStatements(
                    "a comment in the SQL holds what looks like another statement "
                    f"({comment.strip()[:60]!r}); comments may not hide statements, remove it"
                )
    separators = [i for i, t in enumerate(tokens) if t.token_type == TokenType.SEMICOLON]
    if any(i < len(tokens) - 1 for i in separators):
        raise SandboxMultipleStatements(
            "the SQL holds more than one statement (a ';' is followed by more text); send one SELECT"
        )
    try:
        # the tokens checked above, parsed as they are (what sqlglot.parse does, without tokenizing again)
        statements = [s for s in dialect.parser().parse(tokens, sql) if s is not None]
    except ParseError as error:
        raise SandboxSyntax(f"the SQL does not parse: {_first_line(error)}") from error
    if len(statements) != 1:
        raise SandboxMultipleStatements(f"the SQL holds {len(statements)} statements; send one SELECT")
    return statements[0]


def _function_name(node: exp.Expr) -> str:
    return node.sql_name() if isinstance(node, exp.Func) else type(node).__name__


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def _not_select(statement: exp.Expr) -> Exception:
    if isinstance(statement, exp.Union | exp.Intersect | exp.Except):
        return SandboxUnsupported(
            "set operations (UNION, INTERSECT, EXCEPT) are not allowed: send one SELECT statement"
        )
    kind = str(statement.this).upper() if isinstance(statement, exp.Command) else statement.key.upper()
    return SandboxNotSelect(
        f"only one SELECT statement may run in the sandbox; this is a {kind} statement, which could "
        "change settings, load code or reach files outside the grant"
    )


def _resolve_tables(select: exp.Select, granted: Mapping[str, GrantedTable]) -> dict[str, GrantedTable]:
    """Alias -> granted table for every table in FROM and JOIN; rewrites each name to its granted one."""
    scope: dict[str, GrantedTable] = {}
    for table in select.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            name = table.this.sql(dialect=DIALECT) if table.this else "?"
            raise SandboxForbiddenFunction(
                f"{name[:80]} in FROM is a table function or a file; only the granted tables "
                f"({', '.join(sorted(granted)) or 'none'}) may be read"
            )
        name = table.name
        qualified = ".".join(p for p in (table.catalog, table.db, name) if p)
        if table.args.get("db") or table.args.get("catalog"):
            system = qualified.lower().startswith(SYSTEM_PREFIXES)
            raise SandboxTableNotGranted(
                f"{qualified} is "
                + (
                    "a system catalog"
                    if system
                    else "a qualified name (a schema, catalog or attached database)"
                )
                + "; "
                f"only the granted tables ({', '.join(sorted(granted))}) may be read, by their bare names"
            )
        if "/" in name or "." in name or ":" in name or "\\" in name:
            raise SandboxForbiddenFunction(
                f"{name[:80]!r} is a file path or URL; only granted tables may be read"
            )
        grant = granted.get(name.lower())
        if grant is None:
            why = (
                "it is a system catalog"
                if name.lower().startswith(SYSTEM_PREFIXES)
                else "the grant does not cover it"
            )
            raise SandboxTableNotGranted(
                f"table {name} may not be read: {why}; the granted tables are "
                f"{', '.join(sorted(granted)) or 'none'}"
            )
        table.set("this", exp.to_identifier(grant.name, quoted=True))
        alias = (table.alias or grant.name).lower()
        scope[alias] = grant
    if not scope:
        raise SandboxNotAggregate("the query reads no granted table; name one in FROM")
    return scope


def _check_nodes(select: exp.Select) -> None:
    for node in select.walk():
        kind = type(node)
        if kind in UNSUPPORTED:
            raise SandboxUnsupported(
                f"{UNSUPPORTED[kind]} is not allowed in sandbox SQL: write one SELECT over the granted "
                "tables with GROUP BY"
            )
        if kind is exp.Star:
            if not isinstance(node.parent, exp.Count):
                raise SandboxNotAggregate(
                    "SELECT * returns row-level data, which never leaves the sandbox; name aggregates "
                    "such as COUNT(*), SUM(column) and GROUP BY keys"
                )
            continue
        if kind is exp.Var:
            if not isinstance(node.parent, VAR_PARENTS):
                raise SandboxSyntax(f"{node.sql(dialect=DIALECT)!r} is not a known name here")
            continue
        if kind in KNOWN:
            continue
        if issubclass(kind, exp.Func):
            name = str(node.this) if isinstance(node, exp.Anonymous) else _function_name(node)
            raise SandboxForbiddenFunction(
                f"function {name.upper()} is not allowed in the sandbox: it is not on the list of "
                "aggregate and scalar functions (no table functions, file or URL readers, system or "
                "row-returning functions)"
            )
        raise SandboxUnsupported(
            f"{kind.__name__} ({node.sql(dialect=DIALECT)[:60]!r}) is not allowed in sandbox SQL"
        )
    if select.args.get("distinct"):
        raise SandboxUnsupported("SELECT DISTINCT is not allowed: use GROUP BY with COUNT(*)")
    if select.args.get("into"):
        raise SandboxNotSelect("SELECT ... INTO creates a table; only a plain SELECT may run")
    for clause in ("limit", "offset"):
        part = select.args.get(clause)
        if part is not None and not isinstance(part.expression, exp.Literal):
            raise SandboxUnsupported(f"{clause.upper()} takes a plain number")


def _resolve_columns(select: exp.Select, scope: Mapping[str, GrantedTable], aliases: set[str]) -> None:
    """Check every column against the grant and qualify it with its table alias."""
    for column in list(select.find_all(exp.Column)):
        if isinstance(column.this, exp.Star):
            raise SandboxNotAggregate(
                f"{column.sql(dialect=DIALECT)} returns row-level data, which never leaves the sandbox"
            )
        name = column.name
        qualifier = column.table.lower()
        if column.args.get("db") or column.args.get("catalog"):
            raise SandboxColumnNotGranted(f"{column.sql(dialect=DIALECT)} names a schema; use table.column")
        if qualifier:
            grant = scope.get(qualifier)
            if grant is None:
                raise SandboxTableNotGranted(
                    f"{column.sql(dialect=DIALECT)} names table {column.table}, which is not in FROM"
                )
            candidates = [(qualifier, grant)]
        else:
            candidates = list(scope.items())
        found = [(alias, g, c) for alias, g in candidates for c in g.columns if c.lower() == name.lower()]
        if not found:
            if not qualifier and name.lower() in aliases and _refers_to_output(column):
                continue
            where = ", ".join(sorted({g.name for _, g in candidates}))
            granted_cols = ", ".join(c for _, g in candidates for c in g.columns)
            raise SandboxColumnNotGranted(
                f"column {name} is not among the granted columns of {where} ({granted_cols})"
            )
        alias, grant, real = found[0]
        column.set("this", exp.to_identifier(real, quoted=True))
        column.set("table", exp.to_identifier(alias, quoted=True))
        rule = grant.masking.get(real)
        if rule and _identifying(rule) and not _counted_or_filtered(column):
            raise SandboxSensitiveColumn(
                f"column {real} of {grant.name} is desensitized ({rule}); in sandbox SQL it may be used "
                "inside COUNT(...) or in WHERE, HAVING and JOIN conditions, never output or grouped by"
            )


def _identifying(rule: str) -> bool:
    """Masks and hashes keep a column out of sandbox output; generalizations do not (an unknown rule does)."""
    known = RULES.get(rule)
    return known is None or known.identifying


def _refers_to_output(column: exp.Column) -> bool:
    """An unqualified name in GROUP BY, HAVING or ORDER BY may name an output column."""
    return any(isinstance(a, exp.Group | exp.Having | exp.Order) for a in _ancestors(column))


def _counted_or_filtered(column: exp.Column) -> bool:
    for ancestor in _ancestors(column):
        if isinstance(ancestor, exp.Count | exp.ApproxDistinct | exp.Where | exp.Having):
            return True
        if isinstance(ancestor, exp.Join) and column in list(_on_nodes(ancestor)):
            return True
    return False


def _on_nodes(join: exp.Join) -> Iterator[exp.Expr]:
    on = join.args.get("on")
    if on is not None:
        yield from on.find_all(exp.Column)


def _ancestors(node: exp.Expr) -> Iterator[exp.Expr]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _check_aggregate(
    select: exp.Select, scope: Mapping[str, GrantedTable], names: Sequence[str]
) -> tuple[tuple[Output, ...], list[exp.Expr]]:
    """Every output column is an aggregate, a GROUP BY key or a constant; returns their descriptions
    and the GROUP BY keys."""
    projections = list(select.expressions)
    group = select.args.get("group")
    keys: list[exp.Expr] = []
    if group is not None:
        if group.args.get("all"):
            keys = [p.unalias() for p in projections if not _has_aggregate(p)]
        for item in group.expressions:
            keys.append(_group_key(item, projections))
    has_aggregate = any(_has_aggregate(p) for p in projections)
    if group is None and not has_aggregate:
        raise SandboxNotAggregate(
            "the query returns one row per input row (no aggregate and no GROUP BY); row-level data "
            "never leaves the sandbox: use COUNT(*), SUM(...), AVG(...) with GROUP BY"
        )
    outputs: list[Output] = []
    for index, projection in enumerate(projections, start=1):
        body = projection.unalias()
        name = names[index - 1]
        if not _covered(body, keys):
            raise SandboxNotAggregate(
                f"output column {index} ({body.sql(dialect=DIALECT)[:80]}) is neither an aggregate nor "
                "a GROUP BY key, so it would show row-level values; aggregate it or group by it"
            )
        outputs.append(_describe(name, body, keys, scope))
    return tuple(outputs), keys


def output_name(projection: exp.Expr) -> str:
    """The name of an output column on every engine: its alias, a bare column's name, else its SQL."""
    if isinstance(projection, exp.Alias):
        return projection.alias
    if isinstance(projection, exp.Column):
        return projection.name
    return projection.sql(dialect=DIALECT, comments=False)


def _group_key(item: exp.Expr, projections: list[exp.Expr]) -> exp.Expr:
    """A GROUP BY item as an expression: ordinals and output aliases name an output column."""
    if isinstance(item, exp.Literal) and item.is_int:
        position = int(item.name)
        if not 1 <= position <= len(projections):
            raise SandboxSyntax(f"GROUP BY {position} names no output column")
        return projections[position - 1].unalias()
    if isinstance(item, exp.Column) and not item.table:
        for p in projections:
            if isinstance(p, exp.Alias) and p.alias.lower() == item.name.lower():
                return p.unalias()
    return item


def _has_aggregate(node: exp.Expr) -> bool:
    return any(type(n) in AGGREGATES for n in node.walk())


def _covered(node: exp.Expr, keys: list[exp.Expr]) -> bool:
    if any(node == key for key in keys):
        return True
    if type(node) in AGGREGATES or (isinstance(node, exp.Filter) and type(node.this) in AGGREGATES):
        return True
    if isinstance(node, exp.Column):
        return False
    return all(_covered(child, keys) for child in node.iter_expressions())


def _describe(name: str, body: exp.Expr, keys: list[exp.Expr], scope: Mapping[str, GrantedTable]) -> Output:
    if isinstance(body, exp.Filter) and type(body.this) in AGGREGATES:
        body = body.this
    if type(body) in AGGREGATES:
        argument = None
        target = body.this
        distinct = isinstance(target, exp.Distinct)
        if distinct and len(target.expressions) == 1:
            target = target.expressions[0]
        if isinstance(target, exp.Column) and target.table.lower() in scope:
            argument = (scope[target.table.lower()].name, target.name)
        return Output(name, "aggregate", type(body).__name__.upper(), argument, distinct)
    if any(body == key for key in keys):
        return Output(name, "key", None, None, False)
    if _has_aggregate(body):
        return Output(name, "aggregate", None, None, False)
    return Output(name, "constant", None, None, False)
