//! Generated multi-row statements: many rows inserted by one statement. On SQLite a `VALUES`
//! list (`VALUES (…), (…)`) holds as many rows as the parameter limit allows. On PostgreSQL
//! the values of each column travel as one array and are read back with `unnest`, so the
//! statement binds one value per column whatever the number of rows: its text is the same for
//! every batch (prepared once per connection, never planned again) and no thousands of
//! placeholders are parsed.

use std::borrow::Cow;

use caredesk_store::StoreError;

use crate::{Arg, Conn, Dialect, Sql};

type Result<T> = std::result::Result<T, StoreError>;

/// `VALUES (…), (…)`: `rows` rows of `columns` placeholders, numbered from 1.
pub(crate) fn values_list(dialect: Dialect, rows: usize, columns: usize) -> String {
    let mut text = String::from("VALUES ");
    for row in 0..rows {
        if row > 0 {
            text.push_str(", ");
        }
        text.push('(');
        for column in 0..columns {
            if column > 0 {
                text.push_str(", ");
            }
            dialect.push_placeholder(&mut text, row * columns + column + 1);
        }
        text.push(')');
    }
    text
}

/// Rows of `columns` values one statement may hold under the dialect's parameter limit.
pub(crate) fn rows_per_statement(dialect: Dialect, columns: usize) -> usize {
    (dialect.max_parameters() / columns).max(1)
}

/// Inserts `rows` with `head … tail`, `per_statement` rows a statement; `bind` binds one row's
/// `columns` values.
pub(crate) async fn insert_rows<'a, T>(
    conn: &mut Conn<'_>,
    (head, tail): (&str, &str),
    columns: usize,
    per_statement: usize,
    rows: &'a [T],
    bind: impl Fn(Sql<'a>, &'a T) -> Result<Sql<'a>>,
) -> Result<()> {
    let dialect = conn.dialect();
    for chunk in rows.chunks(per_statement.max(1)) {
        rows_statement(dialect, (head, tail), columns, chunk, &bind)?
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// One statement inserting every row of `rows` (at most what [`rows_per_statement`] allows):
/// `head`, the rows, then `tail` (an `ON CONFLICT` or `RETURNING` clause).
pub(crate) fn rows_statement<'a, T>(
    dialect: Dialect,
    (head, tail): (&str, &str),
    columns: usize,
    rows: &'a [T],
    bind: &impl Fn(Sql<'a>, &'a T) -> Result<Sql<'a>>,
) -> Result<Sql<'a>> {
    match dialect {
        Dialect::Sqlite => {
            let text = format!("{head}{}{tail}", values_list(dialect, rows.len(), columns));
            rows.iter().try_fold(Sql::new(text), bind)
        }
        Dialect::Postgres => {
            let mut arrays: Vec<ColumnArray<'a>> =
                (0..columns).map(|_| ColumnArray::Empty).collect();
            for row in rows {
                let values = bind(Sql::new(""), row)?.into_args();
                if values.len() != columns {
                    return Err(StoreError::Other(format!(
                        "a row of {} values for {columns} columns",
                        values.len()
                    )));
                }
                for (array, value) in arrays.iter_mut().zip(values) {
                    array.push(value)?;
                }
            }
            let mut sources = Vec::with_capacity(columns);
            let mut args = Vec::with_capacity(columns);
            for (n, array) in arrays.into_iter().enumerate() {
                let (sql_type, arg) = array.into_arg();
                sources.push(format!("${}::{sql_type}[]", n + 1));
                args.push(arg);
            }
            let text = format!("{head}SELECT * FROM unnest({}){tail}", sources.join(", "));
            Ok(args.into_iter().fold(Sql::new(text), Sql::bind))
        }
    }
}

/// One column's values across the rows, as one PostgreSQL array.
enum ColumnArray<'a> {
    /// No row yet.
    Empty,
    Ints(Vec<Option<i64>>),
    Texts(Vec<Option<Cow<'a, str>>>),
    Bools(Vec<bool>),
}

impl<'a> ColumnArray<'a> {
    /// Appends one row's value; a column takes one kind of value.
    fn push(&mut self, value: Arg<'a>) -> Result<()> {
        if let ColumnArray::Empty = self {
            *self = match value {
                Arg::Int(_) | Arg::OptInt(_) => ColumnArray::Ints(Vec::new()),
                Arg::Text(_) | Arg::OptText(_) => ColumnArray::Texts(Vec::new()),
                Arg::Bool(_) => ColumnArray::Bools(Vec::new()),
                other => return Err(unsupported(&other)),
            };
        }
        match (self, value) {
            (ColumnArray::Ints(list), Arg::Int(v)) => list.push(Some(v)),
            (ColumnArray::Ints(list), Arg::OptInt(v)) => list.push(v),
            (ColumnArray::Texts(list), Arg::Text(v)) => list.push(Some(v)),
            (ColumnArray::Texts(list), Arg::OptText(v)) => list.push(v),
            (ColumnArray::Bools(list), Arg::Bool(v)) => list.push(v),
            (_, other) => return Err(unsupported(&other)),
        }
        Ok(())
    }

    /// The array's element type in SQL, and the array to bind.
    fn into_arg(self) -> (&'static str, Arg<'a>) {
        match self {
            ColumnArray::Empty => ("bigint", Arg::OptInts(Vec::new())),
            ColumnArray::Ints(list) => ("bigint", Arg::OptInts(list)),
            ColumnArray::Texts(list) => ("text", Arg::OptTexts(list)),
            ColumnArray::Bools(list) => ("boolean", Arg::Bools(list)),
        }
    }
}

/// The refusal of a value a column array cannot hold (named by kind; values are never logged).
fn unsupported(value: &Arg<'_>) -> StoreError {
    let kind = match value {
        Arg::Int(_) | Arg::OptInt(_) => "an integer",
        Arg::Text(_) | Arg::OptText(_) => "a text",
        Arg::Bool(_) => "a boolean",
        _ => "a list",
    };
    StoreError::Other(format!(
        "a multi-row insert got {kind} where its column holds another kind"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_bare_on_sqlite_and_numbered_on_postgres() {
        assert_eq!(values_list(Dialect::Sqlite, 2, 2), "VALUES (?, ?), (?, ?)");
        assert_eq!(
            values_list(Dialect::Postgres, 2, 3),
            "VALUES ($1, $2, $3), ($4, $5, $6)"
        );
    }

    type Row = (i64, Option<&'static str>, bool);

    fn bind<'a>(insert: Sql<'a>, row: &'a Row) -> Result<Sql<'a>> {
        Ok(insert.bind(row.0).bind(row.1).bind(row.2))
    }

    const ROWS: [Row; 2] = [(1, Some("a"), true), (2, None, false)];

    #[test]
    fn postgres_binds_one_array_per_column_whatever_the_rows() {
        let insert = rows_statement(
            Dialect::Postgres,
            ("INSERT INTO t (a, b, c) ", " RETURNING a"),
            3,
            &ROWS,
            &bind,
        )
        .expect("statement");
        let one = rows_statement(
            Dialect::Postgres,
            ("INSERT INTO t (a, b, c) ", " RETURNING a"),
            3,
            &ROWS[..1],
            &bind,
        )
        .expect("statement");
        assert_eq!(
            format!("{insert:?}").split("args").next(),
            format!("{one:?}").split("args").next(),
            "the text does not depend on the number of rows"
        );
        assert!(format!("{insert:?}").contains(
            "INSERT INTO t (a, b, c) SELECT * FROM unnest($1::bigint[], $2::text[], $3::boolean[]) RETURNING a"
        ));
        assert_eq!(
            insert.into_args(),
            vec![
                Arg::OptInts(vec![Some(1), Some(2)]),
                Arg::OptTexts(vec![Some(Cow::Borrowed("a")), None]),
                Arg::Bools(vec![true, false]),
            ]
        );
    }

    #[test]
    fn sqlite_binds_every_value_in_a_values_list() {
        let insert = rows_statement(
            Dialect::Sqlite,
            ("INSERT INTO t (a, b, c) ", ""),
            3,
            &ROWS,
            &bind,
        )
        .expect("statement");
        assert!(
            format!("{insert:?}").contains("INSERT INTO t (a, b, c) VALUES (?, ?, ?), (?, ?, ?)")
        );
        assert_eq!(insert.into_args().len(), 6);
    }

    #[test]
    fn a_column_refuses_a_value_of_another_kind_or_a_short_row() {
        let mixed = |insert: Sql<'static>, row: &'static Row| -> Result<Sql<'static>> {
            Ok(if row.0 == 1 {
                insert.bind(row.0)
            } else {
                insert.bind("text")
            }
            .bind(row.1)
            .bind(row.2))
        };
        assert!(rows_statement(Dialect::Postgres, ("", ""), 3, &ROWS, &mixed).is_err());
        let short = |insert: Sql<'static>, row: &'static Row| -> Result<Sql<'static>> {
            Ok(insert.bind(row.0))
        };
        assert!(rows_statement(Dialect::Postgres, ("", ""), 3, &ROWS, &short).is_err());
    }
}
