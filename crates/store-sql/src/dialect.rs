//! The fragments of SQL the two dialects write differently, for statements that are otherwise
//! the same. Everything else is written once, in text both accept (`$1` placeholders,
//! `ON CONFLICT`, `RETURNING`).
//!
//! Locks: a PostgreSQL unit of work locks the rows it reads to change (`FOR UPDATE`) and claims
//! background work with `SKIP LOCKED`, so several nodes share it; a SQLite unit of work holds the
//! database's one write lock from its first statement (`BEGIN IMMEDIATE`), so its lock clauses
//! are empty. Lists bind as arrays on PostgreSQL and as JSON text on SQLite (see
//! [`crate::Arg`]), read with `= ANY` and `json_each`.

use caredesk_store::views::ScopeTerm;

/// A SQL dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Dialect {
    /// True when a unit of work locks the rows it reads to change (PostgreSQL).
    pub fn locks_rows(self) -> bool {
        self == Dialect::Postgres
    }

    /// ` FOR UPDATE`, where rows are locked.
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// ` FOR UPDATE OF table`, where rows are locked.
    pub fn for_update_of(self, table: &str) -> String {
        match self {
            Dialect::Sqlite => String::new(),
            Dialect::Postgres => format!(" FOR UPDATE OF {table}"),
        }
    }

    /// ` FOR UPDATE [OF table] SKIP LOCKED`, where rows are locked: a claim of background work
    /// that passes over rows another unit of work holds.
    pub fn skip_locked(self, of: Option<&str>) -> String {
        match (self, of) {
            (Dialect::Sqlite, _) => String::new(),
            (Dialect::Postgres, None) => " FOR UPDATE SKIP LOCKED".to_owned(),
            (Dialect::Postgres, Some(table)) => format!(" FOR UPDATE OF {table} SKIP LOCKED"),
        }
    }

    /// ` FOR NO KEY UPDATE`, where rows are locked: a lock that waits for other lockers and
    /// writers of the row but not for units of work that insert rows referring to it (their
    /// foreign keys take `KEY SHARE`, which `FOR UPDATE` would wait for).
    pub fn lock_referenced(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR NO KEY UPDATE",
        }
    }

    /// ` FOR NO KEY UPDATE SKIP LOCKED`, where rows are locked: a claim that passes over rows
    /// another claim holds, but not rows that are only referred to by rows being inserted.
    pub fn claim_referenced(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR NO KEY UPDATE SKIP LOCKED",
        }
    }

    /// `column` is one of the list bound at `$param`.
    pub fn any_of(self, column: &str, param: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{column} IN (SELECT value FROM json_each(${param}))"),
            Dialect::Postgres => format!("{column} = ANY(${param})"),
        }
    }

    /// A table of one column, `value`, holding each id of the list bound at `$param`.
    pub fn each_id(self, param: usize) -> String {
        match self {
            Dialect::Sqlite => format!("json_each(${param})"),
            Dialect::Postgres => format!("unnest(${param}::bigint[]) AS each_id(value)"),
        }
    }

    /// The condition of a case holding its active slot, written as the partial indexes on the
    /// slot write it (SQLite uses a partial index only for a query that repeats its condition).
    pub fn holds_active_slot(self) -> &'static str {
        match self {
            Dialect::Sqlite => "holds_active_slot = 1",
            Dialect::Postgres => "holds_active_slot",
        }
    }

    /// The statement answering the next case number. Both are gapless: SQLite's `MAX + 1` under
    /// its write lock, PostgreSQL's counter row, whose lock serialises the units of work that
    /// number cases.
    pub fn next_case_number(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT COALESCE(MAX(number), 0) + 1 FROM cases",
            Dialect::Postgres => {
                "UPDATE case_number_counter SET last = last + 1 WHERE id = 1 RETURNING last"
            }
        }
    }

    /// What an `INSERT` that gives its ids says after its columns (PostgreSQL's identity
    /// columns refuse given values otherwise).
    pub fn given_ids(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " OVERRIDING SYSTEM VALUE",
        }
    }

    /// Parameters a generated multi-row statement may hold (SQLite accepts 32,766, PostgreSQL
    /// 65,535).
    pub fn max_parameters(self) -> usize {
        match self {
            Dialect::Sqlite => 32_000,
            Dialect::Postgres => 65_000,
        }
    }

    /// Events appended per statement (five parameters each, under the limits above).
    pub fn events_per_statement(self) -> usize {
        match self {
            Dialect::Sqlite => 6_000,
            Dialect::Postgres => 12_000,
        }
    }

    /// Writes the `n`th placeholder (from 1) of a generated multi-row statement. SQLite gets
    /// bare `?`: it looks a named parameter (`$n`) up in a list of names, which costs the
    /// square of their number in a statement of thousands.
    pub fn push_placeholder(self, text: &mut String, n: usize) {
        match self {
            Dialect::Sqlite => text.push('?'),
            Dialect::Postgres => {
                text.push('$');
                text.push_str(&n.to_string());
            }
        }
    }

    /// How the Care views name the viewer's profiles for this dialect's planner.
    pub fn scope_term(self) -> ScopeTerm {
        match self {
            Dialect::Sqlite => ScopeTerm::FilterOnly,
            Dialect::Postgres => ScopeTerm::Seekable,
        }
    }
}

/// Whether a read locks the rows it finds until its unit of work ends (the same read serves
/// outside a unit of work, where it never locks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lock {
    /// A plain read.
    No,
    /// `FOR UPDATE`, where the dialect locks rows.
    ForUpdate,
}

impl Lock {
    /// The clause that ends the read.
    pub fn clause(self, dialect: Dialect) -> &'static str {
        match self {
            Lock::No => "",
            Lock::ForUpdate => dialect.for_update(),
        }
    }
}
