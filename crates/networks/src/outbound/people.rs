//! Asking the networks who a person is: [`NetworkSender`] is the `app` crate's [`PersonSource`].
//! It hands each look-up to the adapter of the person's network (from the
//! [`registry`](crate::registry)) with the configured API of its platform; the adapter makes one
//! read. The profile's token never reaches a reason or a log, and neither does what the network
//! said about the person.

use async_trait::async_trait;
use caredesk_app::lookups::{LookedUp, PersonSource};
use caredesk_domain::Network;

use super::NetworkSender;
use crate::adapter::PersonQuery;
use crate::registry;

#[async_trait]
impl PersonSource for NetworkSender {
    async fn look_up(&self, network: Network, user_id: &str, access_token: &str) -> LookedUp {
        let adapter = registry::adapter_for(network);
        let query = PersonQuery {
            network,
            access_token,
            user_id,
        };
        let answer = match self.api(adapter.app_network()) {
            Some(api) => adapter.look_up_person(api, query).await,
            None => LookedUp::Refused(format!("no API is configured for {network}")),
        };
        let answer = redacted(answer, access_token);
        tracing::debug!(%network, outcome = summary(&answer), "person looked up");
        answer
    }
}

/// What an answer came to, without what it says about the person.
fn summary(answer: &LookedUp) -> String {
    match answer {
        LookedUp::Found { avatar_url, .. } => match avatar_url {
            Some(_) => "found, with a picture".to_owned(),
            None => "found".to_owned(),
        },
        LookedUp::Gone(why) => format!("gone: {why}"),
        LookedUp::Temporary(why) => format!("temporary: {why}"),
        LookedUp::TokenRejected(why) => format!("token rejected: {why}"),
        LookedUp::Refused(why) => format!("refused: {why}"),
    }
}

/// `answer` with every occurrence of `token` in its reasons replaced.
fn redacted(answer: LookedUp, token: &str) -> LookedUp {
    if token.is_empty() {
        return answer;
    }
    let clean = |reason: String| reason.replace(token, "<redacted>");
    match answer {
        found @ LookedUp::Found { .. } => found,
        LookedUp::Gone(why) => LookedUp::Gone(clean(why)),
        LookedUp::Temporary(why) => LookedUp::Temporary(clean(why)),
        LookedUp::TokenRejected(why) => LookedUp::TokenRejected(clean(why)),
        LookedUp::Refused(why) => LookedUp::Refused(clean(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::OutboundConfig;

    #[test]
    fn tokens_never_reach_the_reasons() {
        assert_eq!(
            redacted(LookedUp::TokenRejected("bad tok-1 (tok-1)".into()), "tok-1"),
            LookedUp::TokenRejected("bad <redacted> (<redacted>)".into())
        );
    }

    #[tokio::test]
    async fn x_people_are_not_asked_about() {
        let sender = NetworkSender::new(&OutboundConfig::default()).expect("sender");
        let answer = sender.look_up(Network::X, "12", "token").await;
        assert!(matches!(answer, LookedUp::Refused(_)), "{answer:?}");
    }
}
