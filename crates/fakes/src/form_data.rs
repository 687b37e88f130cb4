//! Reading a `multipart/form-data` body as the networks' upload endpoints do: text fields and
//! file fields, each with its name, file name and content type. Enough for the fakes, which
//! only ever read what the desk's HTTP client writes; anything malformed is `None`.

use axum::body::Bytes;
use axum::http::HeaderMap;

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    /// The field's name.
    pub name: String,
    /// The file's name, for a file field.
    pub filename: Option<String>,
    /// The part's content type, when given.
    pub content_type: Option<String>,
    /// The value.
    pub bytes: Bytes,
}

impl FormPart {
    /// The value as text (`None` for a file or bytes that are not UTF-8).
    pub fn text(&self) -> Option<&str> {
        if self.filename.is_some() {
            return None;
        }
        std::str::from_utf8(&self.bytes).ok()
    }
}

/// The boundary of a `multipart/form-data` request, `None` for any other body.
fn boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get("content-type")?.to_str().ok()?;
    let (essence, params) = content_type.split_once(';')?;
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// A header parameter such as `name="x"` of a `Content-Disposition` line.
fn disposition_param(line: &str, key: &str) -> Option<String> {
    line.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The fields of a `multipart/form-data` body; `None` when the request is not one or is
/// malformed.
pub fn parse(headers: &HeaderMap, body: &Bytes) -> Option<Vec<FormPart>> {
    let boundary = boundary(headers)?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(parts);
        }
        let head_start = at + 2;
        let head_end = find(body, b"\r\n\r\n", head_start)?;
        let head = std::str::from_utf8(body.get(head_start..head_end)?).ok()?;
        let value_start = head_end + 4;
        let next = find(body, delimiter, value_start)?;
        let value_end = next.checked_sub(2)?;
        let (mut name, mut filename, mut content_type) = (None, None, None);
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(':')?;
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                name = disposition_param(value, "name");
                filename = disposition_param(value, "filename");
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned());
            }
        }
        parts.push(FormPart {
            name: name?,
            filename,
            content_type,
            bytes: body.slice(value_start..value_end),
        });
        at = next + delimiter.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_file_fields_are_read_back() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "multipart/form-data; boundary=XyZ".parse().expect("header"),
        );
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\n{\"id\":\"1\"}\r\n\
              --XyZ\r\nContent-Disposition: form-data; name=\"filedata\"; filename=\"a.png\"\r\n\
              Content-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ--\r\n",
        );
        let parts = parse(&headers, &body).expect("a form");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].text(), Some("{\"id\":\"1\"}"));
        assert_eq!(parts[1].filename.as_deref(), Some("a.png"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
        assert_eq!(&parts[1].bytes[..], b"\x89PNG");
        let mut json = HeaderMap::new();
        json.insert("content-type", "application/json".parse().expect("header"));
        assert_eq!(parse(&json, &body), None);
    }
}
