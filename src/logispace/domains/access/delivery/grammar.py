"""The sandbox SQL allow lists (沙箱查询允许清单): statement, clause, expression and function kinds.

Data for :mod:`.check`: what is not listed here is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

# Aggregates that summarize a group. Left out on purpose: those that return one row's value or a list
# of them (ANY_VALUE, FIRST, LAST, ARG_MAX, ARG_MIN, MODE, LIST, ARRAY_AGG, STRING_AGG).
AGGREGATES: frozenset[type[exp.Expr]] = frozenset(
    {
        exp.Count,
        exp.CountIf,
        exp.Sum,
        exp.Avg,
        exp.Min,
        exp.Max,
        exp.Median,
        exp.Stddev,
        exp.StddevPop,
        exp.StddevSamp,
        exp.Variance,
        exp.VariancePop,
        exp.PercentileCont,
        exp.PercentileDisc,
        exp.Quantile,
        exp.ApproxQuantile,
        exp.ApproxDistinct,
        exp.Corr,
        exp.CovarPop,
        exp.CovarSamp,
        exp.LogicalAnd,
        exp.LogicalOr,
    }
)

# Scalar functions: arithmetic, text, dates, conditionals. None of them reads a file, a setting or
# the catalog.
SCALARS: frozenset[type[exp.Expr]] = frozenset(
    {
        exp.Abs,
        exp.Round,
        exp.Floor,
        exp.Ceil,
        exp.Sqrt,
        exp.Ln,
        exp.Log,
        exp.Exp,
        exp.Pow,
        exp.Sign,
        exp.Lower,
        exp.Upper,
        exp.Length,
        exp.Substring,
        exp.Trim,
        exp.Left,
        exp.Right,
        exp.Concat,
        exp.Coalesce,
        exp.Nullif,
        exp.Greatest,
        exp.Least,
        exp.If,
        exp.Case,
        exp.Cast,
        exp.TryCast,
        exp.Extract,
        exp.Year,
        exp.Month,
        exp.Day,
        exp.Quarter,
        exp.Hour,
        exp.DayOfWeek,
        exp.DayOfMonth,
        exp.DayOfYear,
        exp.WeekOfYear,
        exp.DateTrunc,
        exp.TimestampTrunc,
        exp.TsOrDsToDate,
        exp.DateAdd,
        exp.DateSub,
        exp.DateDiff,
        exp.TimeToStr,
        exp.TimeToUnix,
        exp.StrToTime,
        exp.StrToDate,
        exp.CurrentDate,
        exp.Replace,
    }
)

# Expression kinds that are neither functions nor clauses: operators, literals, names, types.
OPERATORS: frozenset[type[exp.Expr]] = frozenset(
    {
        exp.Alias,
        exp.Column,
        exp.Identifier,
        exp.Literal,
        exp.Boolean,
        exp.Null,
        exp.DataType,
        exp.DataTypeParam,
        exp.Interval,
        exp.Paren,
        exp.Neg,
        exp.Not,
        exp.And,
        exp.Or,
        exp.EQ,
        exp.NEQ,
        exp.GT,
        exp.GTE,
        exp.LT,
        exp.LTE,
        exp.NullSafeEQ,
        exp.NullSafeNEQ,
        exp.Add,
        exp.Sub,
        exp.Mul,
        exp.Div,
        exp.IntDiv,
        exp.Mod,
        exp.DPipe,
        exp.Is,
        exp.In,
        exp.Between,
        exp.Like,
        exp.ILike,
        exp.Distinct,  # COUNT(DISTINCT x) only: SELECT DISTINCT is refused below
        exp.Filter,  # aggregate FILTER (WHERE ...)
        exp.IgnoreNulls,
        exp.RespectNulls,
        exp.Where,
        exp.Tuple,
    }
)

# The clauses of the one SELECT that may appear.
CLAUSES: frozenset[type[exp.Expr]] = frozenset(
    {exp.Select, exp.From, exp.Join, exp.Table, exp.TableAlias, exp.Group, exp.Having}
    | {exp.Order, exp.Ordered, exp.Limit, exp.Offset}
)

# Date-part words (YEAR in EXTRACT(YEAR FROM d), DAY in an INTERVAL) parse as Var; only there.
FUNCTIONS = AGGREGATES | SCALARS
KNOWN = CLAUSES | OPERATORS | FUNCTIONS

VAR_PARENTS: tuple[type[exp.Expr], ...] = (
    exp.Extract,
    exp.Interval,
    exp.DateTrunc,
    exp.TimestampTrunc,
    exp.DateAdd,
    exp.DateSub,
    exp.DateDiff,
)

UNSUPPORTED: Mapping[type[exp.Expr], str] = {
    exp.Subquery: "a subquery",
    exp.CTE: "a WITH clause",
    exp.With: "a WITH clause",
    exp.Window: "a window function (OVER)",
    exp.Lateral: "a LATERAL join",
    exp.Unnest: "UNNEST",
    exp.Values: "a VALUES list",
    exp.Placeholder: "a parameter placeholder",
    exp.Parameter: "a parameter",
    exp.Columns: "COLUMNS(...)",
    exp.TableSample: "sampling (USING SAMPLE / TABLESAMPLE)",
    exp.Rollup: "ROLLUP",
    exp.Cube: "CUBE",
    exp.GroupingSets: "GROUPING SETS",
    exp.Pivot: "PIVOT",
    exp.Qualify: "QUALIFY",
    exp.Union: "a set operation (UNION)",
    exp.Intersect: "a set operation (INTERSECT)",
    exp.Except: "a set operation (EXCEPT)",
}

SYSTEM_PREFIXES = ("information_schema", "pg_", "duckdb_", "sqlite_", "sys", "temp.", "main.")
STATEMENT_WORDS = frozenset(
    [
        "select",
        "with",
        "copy",
        "attach",
        "detach",
        "install",
        "load",
        "pragma",
        "set",
        "reset",
        "export",
        "import",
        "create",
        "drop",
        "alter",
        "insert",
        "update",
        "delete",
        "call",
        "checkpoint",
        "vacuum",
        "use",
        "describe",
        "show",
        "summarize",
        "explain",
        "begin",
        "commit",
        "rollback",
    ]
)
