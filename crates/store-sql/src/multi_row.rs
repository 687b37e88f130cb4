//! Generated multi-row statements (`INSERT … VALUES (…), (…)`): as many rows per statement as
//! the dialect's parameter limit allows.

use caredesk_store::StoreError;

use crate::{Conn, Dialect, Sql};

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

/// Inserts `rows` with `head VALUES (…), (…) tail`, `per_statement` rows a statement; `bind`
/// binds one row's `columns` values.
pub(crate) async fn insert_rows<'a, T>(
    conn: &mut Conn<'_>,
    (head, tail): (&str, &str),
    columns: usize,
    per_statement: usize,
    rows: &'a [T],
    bind: impl Fn(Sql<'a>, &'a T) -> Result<Sql<'a>>,
) -> Result<()> {
    let dialect = conn.dialect();
    for chunk in rows.chunks(per_statement) {
        let text = format!("{head}{}{tail}", values_list(dialect, chunk.len(), columns));
        let mut insert = Sql::new(text);
        for row in chunk {
            insert = bind(insert, row)?;
        }
        insert.execute(conn).await?;
    }
    Ok(())
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
}
