//! The SQL of this backend, as functions over one connection, shared by reads outside
//! transactions and by units of work.

pub(crate) mod cases;
pub(crate) mod directory;
pub(crate) mod messages;

pub(crate) use sqlx::SqliteConnection as Conn;
