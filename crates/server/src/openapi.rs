//! The finishing of the served OpenAPI document: what holds for every route alike and the route
//! annotations leave out. Every response is described by what its status means in this API, and
//! the document says how callers authenticate: a bearer token, or the session cookie (with the
//! CSRF header on unsafe methods); sign-in and the webhooks (signed by their network) need
//! neither. A body of raw bytes is a binary string, which client generators take as a file.

use axum::http::StatusCode;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{OpenApi, RefOr};

use crate::caller::{CSRF_HEADER, SESSION_COOKIE};

const BEARER: &str = "bearer";
const COOKIE: &str = "session_cookie";
const CSRF: &str = "csrf_token";

/// Paths whose callers present no session.
fn is_public(path: &str) -> bool {
    path == "/api/v1/auth/login" || path.starts_with("/webhooks/")
}

/// What a status means in this API, for a response that does not say.
fn meaning(status: &str) -> String {
    let words = match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted: queued, done after the answer",
        "204" => "Done; no body",
        "400" => "The request cannot be read (the error envelope)",
        "401" => "No valid session, token or signature (the error envelope)",
        "403" => "The caller may not do this (the error envelope)",
        "404" => "Not found, or not visible to the caller (the error envelope)",
        "405" => "The path does not take this method; `Allow` lists those it takes",
        "409" => "Conflicts with the current state; read again and retry (the error envelope)",
        "413" => "The body is larger than the route takes (the error envelope)",
        "415" => "The body is not of a type the route takes (the error envelope)",
        "422" => "A value breaks a rule; the envelope names the field",
        "429" => "Throttled; `Retry-After` gives the seconds to wait (the error envelope)",
        "502" => "The network or Salesforce answered with an error (the error envelope)",
        "503" => "Storage or a service cannot take the request now; retry (the error envelope)",
        other => {
            return other
                .parse::<u16>()
                .ok()
                .and_then(|code| StatusCode::from_u16(code).ok())
                .and_then(|code| code.canonical_reason())
                .unwrap_or("The answer")
                .to_owned()
        }
    };
    words.to_owned()
}

/// A string of raw bytes.
fn binary() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .build(),
    )
}

/// Describes every response and declares the security schemes and who needs which.
pub(crate) fn finish(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    components.add_security_scheme(
        COOKIE,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            SESSION_COOKIE,
            "The HttpOnly session cookie sign-in sets (the web app).",
        ))),
    );
    components.add_security_scheme(
        CSRF,
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            CSRF_HEADER,
            "The csrf_token of sign-in, on every unsafe request authenticated by the cookie.",
        ))),
    );
    let none: &[&str] = &[];
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (false, &mut item.get),
            (true, &mut item.put),
            (true, &mut item.post),
            (true, &mut item.delete),
            (true, &mut item.patch),
        ];
        for (unsafe_method, operation) in operations {
            let Some(operation) = operation.as_mut() else {
                continue;
            };
            if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
                for (content_type, content) in body.content.iter_mut() {
                    if let RefOr::T(content) = content {
                        if content_type == "application/octet-stream" && content.schema.is_none() {
                            content.schema = Some(RefOr::T(binary()));
                        }
                    }
                }
            }
            for (status, response) in operation.responses.responses.iter_mut() {
                if let RefOr::T(response) = response {
                    if response.description.is_empty() {
                        response.description = meaning(status);
                    }
                }
            }
            // An empty list: no scheme at all (client generators then ask for no credentials).
            operation.security = Some(if is_public(path) {
                Vec::new()
            } else {
                let cookie = SecurityRequirement::new(COOKIE, none.iter().copied());
                let cookie = if unsafe_method {
                    cookie.add(CSRF, none.iter().copied())
                } else {
                    cookie
                };
                vec![
                    SecurityRequirement::new(BEARER, none.iter().copied()),
                    cookie,
                ]
            });
        }
    }
}
