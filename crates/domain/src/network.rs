//! Networks, network apps and connected profiles.

use serde::{Deserialize, Serialize};

use crate::ids::{NetworkAppId, ProfileId};
use crate::macros::word_enum;

word_enum! {
    /// The social network a profile and its customers live on.
    pub enum Network {
        Facebook => "facebook",
        Instagram => "instagram",
        X => "x",
    }
}

word_enum! {
    /// The developer platform a network app belongs to (Meta serves Facebook and Instagram).
    pub enum AppNetwork {
        Meta => "meta",
        X => "x",
    }
}

impl Network {
    /// The developer platform whose apps serve this network.
    pub fn app_network(self) -> AppNetwork {
        match self {
            Network::Facebook | Network::Instagram => AppNetwork::Meta,
            Network::X => AppNetwork::X,
        }
    }

    /// The network's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Network::Facebook => "Facebook",
            Network::Instagram => "Instagram",
            Network::X => "X",
        }
    }
}

/// A brand's developer app on a network. Its secrets sign webhooks; they are write-only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkApp {
    /// Its id.
    pub id: NetworkAppId,
    /// Meta or X.
    pub network: AppNetwork,
    /// A name for people.
    pub name: String,
    /// Meta app secret / X consumer secret: the webhook signing key.
    pub app_secret: String,
    /// Meta verify token for the subscription handshake (empty for X).
    pub verify_token: String,
    /// X consumer key (empty for Meta).
    pub consumer_key: String,
}

impl std::fmt::Debug for NetworkApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkApp")
            .field("id", &self.id)
            .field("network", &self.network)
            .field("name", &self.name)
            .field("app_secret", &"<redacted>")
            .field("verify_token", &"<redacted>")
            .field("consumer_key", &"<redacted>")
            .finish()
    }
}

/// A connected social account of the brand.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Its id.
    pub id: ProfileId,
    /// Facebook, Instagram or X.
    pub network: Network,
    /// The network's id of the page or account.
    pub external_id: String,
    /// A name for people.
    pub name: String,
    /// The network app whose secrets sign this profile's webhooks.
    pub app_id: NetworkAppId,
    /// The token used to reply (write-only).
    pub access_token: String,
    /// X only: the user token secret (write-only).
    pub token_secret: String,
    /// New cases go to an available agent on their own (PRODUCT.md §13); off by default.
    pub auto_assign: bool,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.id)
            .field("network", &self.network)
            .field("external_id", &self.external_id)
            .field("name", &self.name)
            .field("app_id", &self.app_id)
            .field("access_token", &"<redacted>")
            .field("token_secret", &"<redacted>")
            .field("auto_assign", &self.auto_assign)
            .finish()
    }
}

/// A network app not stored yet. It has no `Debug`: it holds the app's secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct NewNetworkApp {
    /// Meta or X.
    pub network: AppNetwork,
    /// A name for people.
    pub name: String,
    /// Meta app secret / X consumer secret: the webhook signing key.
    pub app_secret: String,
    /// Meta verify token for the subscription handshake (empty for X).
    pub verify_token: String,
    /// X consumer key (empty for Meta).
    pub consumer_key: String,
}

impl NewNetworkApp {
    /// The app as stored under `id`.
    pub fn stored_as(self, id: NetworkAppId) -> NetworkApp {
        NetworkApp {
            id,
            network: self.network,
            name: self.name,
            app_secret: self.app_secret,
            verify_token: self.verify_token,
            consumer_key: self.consumer_key,
        }
    }
}

/// A profile not connected yet. It has no `Debug`: it holds the profile's tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct NewProfile {
    /// Facebook, Instagram or X.
    pub network: Network,
    /// The network's id of the page or account.
    pub external_id: String,
    /// A name for people.
    pub name: String,
    /// The network app whose secrets sign this profile's webhooks.
    pub app_id: NetworkAppId,
    /// The token used to reply (write-only).
    pub access_token: String,
    /// X only: the user token secret (write-only).
    pub token_secret: String,
}

impl NewProfile {
    /// The profile as stored under `id`.
    pub fn stored_as(self, id: ProfileId) -> Profile {
        Profile {
            id,
            network: self.network,
            external_id: self.external_id,
            name: self.name,
            app_id: self.app_id,
            access_token: self.access_token,
            token_secret: self.token_secret,
            auto_assign: false,
        }
    }
}

/// Checks that a profile may be served by an app: Facebook and Instagram need a Meta app, X an
/// X app.
pub fn check_app_serves(network: Network, app: AppNetwork) -> Result<(), crate::Refusal> {
    if network.app_network() == app {
        Ok(())
    } else {
        Err(crate::Refusal::invalid(format!(
            "a {network} profile needs a {} app, not a {app} app",
            network.app_network()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facebook_and_instagram_need_a_meta_app_and_x_an_x_app() {
        let table = [
            (Network::Facebook, AppNetwork::Meta, true),
            (Network::Instagram, AppNetwork::Meta, true),
            (Network::X, AppNetwork::X, true),
            (Network::Facebook, AppNetwork::X, false),
            (Network::X, AppNetwork::Meta, false),
        ];
        for (network, app, ok) in table {
            assert_eq!(
                check_app_serves(network, app).is_ok(),
                ok,
                "{network} / {app}"
            );
        }
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let app = NetworkApp {
            id: NetworkAppId(1),
            network: AppNetwork::Meta,
            name: "Brand".into(),
            app_secret: "s3cr3t".into(),
            verify_token: "v3rify".into(),
            consumer_key: String::new(),
        };
        let text = format!("{app:?}");
        assert!(
            !text.contains("s3cr3t") && !text.contains("v3rify"),
            "{text}"
        );
    }
}
