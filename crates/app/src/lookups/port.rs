//! [`PersonSource`]: the port through which the desk asks a network who a person is. Its
//! implementation (in `networks`) makes one call with the profile's token and says what the
//! answer means; it never retries by itself and never logs the token.

use async_trait::async_trait;
use caredesk_domain::Network;

/// What asking the network about a person came to.
#[derive(Clone, PartialEq, Eq)]
pub enum LookedUp {
    /// The network says who they are; what it leaves out is empty (`None` for no picture).
    Found {
        /// Their name.
        name: String,
        /// Their handle (Instagram's username; Messenger has none).
        handle: String,
        /// Where their picture is, to be downloaded like any media.
        avatar_url: Option<String>,
    },
    /// The network does not know the person (an unknown or deleted id): never retried.
    Gone(String),
    /// It may work later (a timeout, a 5xx, a rate limit): retried with backoff.
    Temporary(String),
    /// The network refused the profile's token: retried with backoff (an admin may renew it),
    /// and the profile's health says so.
    TokenRejected(String),
    /// Never to be answered (a missing permission, a network the desk does not ask): never
    /// retried.
    Refused(String),
}

impl std::fmt::Debug for LookedUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookedUp::Found {
                name,
                handle,
                avatar_url,
            } => f
                .debug_struct("Found")
                .field("name", name)
                .field("handle", handle)
                // A signed URL's query is a credential: only its place is shown.
                .field(
                    "avatar_url",
                    &avatar_url
                        .as_deref()
                        .map(|url| url.split(['?', '#']).next().unwrap_or_default()),
                )
                .finish(),
            LookedUp::Gone(why) => f.debug_tuple("Gone").field(why).finish(),
            LookedUp::Temporary(why) => f.debug_tuple("Temporary").field(why).finish(),
            LookedUp::TokenRejected(why) => f.debug_tuple("TokenRejected").field(why).finish(),
            LookedUp::Refused(why) => f.debug_tuple("Refused").field(why).finish(),
        }
    }
}

/// Asks networks who a person is.
#[async_trait]
pub trait PersonSource: Send + Sync {
    /// Makes one call for the person `user_id` on `network` with the profile's `access_token`
    /// (never retries by itself).
    async fn look_up(&self, network: Network, user_id: &str, access_token: &str) -> LookedUp;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_never_shows_the_signed_query_of_the_picture() {
        let found = LookedUp::Found {
            name: "Ann".into(),
            handle: String::new(),
            avatar_url: Some("https://cdn.example/p.jpg?oh=signature&oe=expiry".into()),
        };
        let shown = format!("{found:?}");
        assert!(
            !shown.contains("signature") && !shown.contains("expiry"),
            "{shown}"
        );
        assert!(shown.contains("https://cdn.example/p.jpg"), "{shown}");
    }
}
