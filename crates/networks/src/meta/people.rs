//! Who a person is, through the Graph API with the page's token: Messenger answers
//! `GET /{psid}?fields=first_name,last_name,profile_pic`, Instagram
//! `GET /{igsid}?fields=name,username,profile_pic`. The answer is read into a name, a handle
//! (Instagram's username; Messenger has none) and the address of the picture, which the desk
//! downloads like any media.

use caredesk_app::lookups::LookedUp;
use caredesk_domain::Network;
use reqwest::Url;
use serde_json::Value;

use crate::adapter::PersonQuery;
use crate::outbound::call::at;
use crate::outbound::{Api, Auth, NetworkApi, Read};

/// Asks the Graph API at `api` about the person of `query`.
pub(crate) async fn look_up(api: NetworkApi<'_>, query: PersonQuery<'_>) -> LookedUp {
    let url = match person_url(api.base, query.network, query.user_id) {
        Ok(url) => url,
        Err(why) => return LookedUp::Refused(why),
    };
    match api
        .get(url, Api::Graph, Auth::Bearer(query.access_token))
        .await
    {
        Read::Body(body) => person(&body),
        Read::Gone(why) => LookedUp::Gone(why),
        Read::Temporary(why) => LookedUp::Temporary(why),
        Read::TokenRejected(why) => LookedUp::TokenRejected(why),
        Read::Refused(why) => LookedUp::Refused(why),
    }
}

/// The URL that asks the Graph API at `graph` about `user_id` on `network`.
pub(crate) fn person_url(graph: &Url, network: Network, user_id: &str) -> Result<Url, String> {
    let fields = match network {
        Network::Facebook => "first_name,last_name,profile_pic",
        Network::Instagram => "name,username,profile_pic",
        Network::X => return Err("an X user is not looked up through Meta".into()),
    };
    if user_id.trim().is_empty() {
        return Err("the person has no id to look up".into());
    }
    let mut url = at(graph, &[user_id])?;
    url.query_pairs_mut().append_pair("fields", fields);
    Ok(url)
}

/// A Graph person object read into what the desk keeps: Messenger's first and last name
/// joined, Instagram's name and username.
pub(crate) fn person(body: &Value) -> LookedUp {
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    let joined = [text("first_name"), text("last_name")]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = if joined.is_empty() {
        text("name")
    } else {
        joined
    };
    let picture = text("profile_pic");
    LookedUp::Found {
        name,
        handle: text("username"),
        avatar_url: (!picture.is_empty()).then_some(picture),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn each_network_asks_for_its_own_fields_under_the_configured_version() {
        let graph = Url::parse("https://graph.facebook.com/v21.0").expect("url");
        let table = [
            (
                Network::Facebook,
                "2600000000000001",
                "https://graph.facebook.com/v21.0/2600000000000001?fields=first_name%2Clast_name%2Cprofile_pic",
            ),
            (
                Network::Instagram,
                "9000000000000001",
                "https://graph.facebook.com/v21.0/9000000000000001?fields=name%2Cusername%2Cprofile_pic",
            ),
        ];
        for (network, id, expected) in table {
            let url = person_url(&graph, network, id).expect("a url");
            assert_eq!(url.as_str(), expected);
        }
        assert!(person_url(&graph, Network::X, "1").is_err());
        assert!(person_url(&graph, Network::Facebook, " ").is_err());
        let odd = person_url(&graph, Network::Facebook, "a/b?c").expect("a url");
        assert!(odd.path().ends_with("/a%2Fb%3Fc"), "{odd}");
    }

    #[test]
    fn answers_are_read_into_a_name_a_handle_and_a_picture() {
        let table = [
            (
                json!({"first_name": "Ann", "last_name": "Lee", "profile_pic": "https://cdn/p.jpg",
                    "id": "26"}),
                ("Ann Lee", "", Some("https://cdn/p.jpg")),
            ),
            (json!({"first_name": "Ann", "id": "26"}), ("Ann", "", None)),
            (
                json!({"name": "Ann Lee", "username": "ann.lee", "profile_pic": "", "id": "90"}),
                ("Ann Lee", "ann.lee", None),
            ),
            (json!({"id": "90"}), ("", "", None)),
        ];
        for (body, (name, handle, picture)) in table {
            assert_eq!(
                person(&body),
                LookedUp::Found {
                    name: name.into(),
                    handle: handle.into(),
                    avatar_url: picture.map(str::to_owned),
                },
                "{body}"
            );
        }
    }
}
