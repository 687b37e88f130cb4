//! The fakes' clock: network times in the units and formats each payload uses.

use time::macros::format_description;
use time::OffsetDateTime;

/// Seconds since the epoch (Graph `created_time`, feed `entry.time`).
pub(crate) fn secs() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Milliseconds since the epoch (Messenger `timestamp`, X `timestamp_ms`).
pub(crate) fn millis() -> i64 {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

/// X's v1.1 `created_at`, e.g. `Mon Jun 03 10:15:00 +0000 2024`.
pub(crate) fn x_created_at() -> String {
    let format = format_description!(
        "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] +0000 [year]"
    );
    OffsetDateTime::now_utc().format(format).unwrap_or_default()
}

/// The Graph API's time in a read's answer, e.g. `2024-06-03T10:15:00+0000`.
pub(crate) fn graph_time() -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+0000");
    OffsetDateTime::now_utc().format(format).unwrap_or_default()
}
