//! Keyset cursors: where the next page of a list starts, as an opaque string.
//!
//! A cursor carries the sort value and the id of the last row of a page; the next page starts
//! strictly after that pair in the list's order, so rows inserted or changed meanwhile never
//! shift a page.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The last row of a page, in the list's sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key's value of that row.
    pub value: i64,
    /// Its id (the tie-breaker).
    pub id: i64,
}

impl Cursor {
    /// The opaque text form.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.value, self.id))
    }

    /// Reads a cursor given back by a client; `None` when it is not one of ours.
    pub fn decode(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text.as_bytes()).ok()?;
        let plain = String::from_utf8(bytes).ok()?;
        let (value, id) = plain.split_once(':')?;
        Some(Cursor {
            value: value.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor { value: -5, id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("not a cursor!"), None);
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode("1:x")), None);
    }
}
