//! The signing and checking of [`super`] against RFC 5849's and X's published examples.

use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).expect("a URL")
}

#[test]
fn only_unreserved_characters_stay_as_they_are() {
    let table = [
        ("abcXYZ019-._~", "abcXYZ019-._~"),
        ("Ladies + Gentlemen", "Ladies%20%2B%20Gentlemen"),
        ("a signed OAuth request!", "a%20signed%20OAuth%20request%21"),
        ("=%3D", "%3D%253D"),
        ("/?&*'()", "%2F%3F%26%2A%27%28%29"),
        ("☃", "%E2%98%83"),
        ("", ""),
    ];
    for (text, encoded) in table {
        assert_eq!(encode(text), encoded, "{text}");
    }
}

#[test]
fn the_base_url_is_lower_case_without_default_port_or_query() {
    // RFC 5849 §3.4.1.2.
    let table = [
        (
            "HTTP://EXAMPLE.COM:80/r%20v/X?id=123",
            "http://example.com/r%20v/X",
        ),
        (
            "https://www.example.net:8080/?q=1",
            "https://www.example.net:8080/",
        ),
        (
            "https://Ton.Twitter.com:443/1.1/ton/data/dm/1/2/a.jpg#f",
            "https://ton.twitter.com/1.1/ton/data/dm/1/2/a.jpg",
        ),
    ];
    for (text, base) in table {
        assert_eq!(base_url(&url(text)), base, "{text}");
    }
}

#[test]
fn the_base_string_of_rfc_5849_section_3_4_1() {
    let request = url("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
    let params = [
        ("oauth_consumer_key", "9djdj82h48djs9d2"),
        ("oauth_token", "kkk9d7dh3k39sjv7"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", "7d8f3e4a"),
        // The form body `c2&a3=2+q`.
        ("c2", ""),
        ("a3", "2 q"),
    ];
    assert_eq!(
        base_string("post", &request, &params),
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D\
         %253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_n\
         once%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201\
         %26oauth_token%3Dkkk9d7dh3k39sjv7"
    );
}

/// `(method, URL, parameters besides the query, consumer secret, token secret, signature)`.
type Example = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
    &'static str,
);

#[test]
fn the_published_worked_examples_sign_as_published() {
    let table: [Example; 2] = [
        // X's "Creating a signature".
        (
            "POST",
            "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
            &[
                (
                    "status",
                    "Hello Ladies + Gentlemen, a signed OAuth request!",
                ),
                ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
                ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "1318622958"),
                (
                    "oauth_token",
                    "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                ),
                ("oauth_version", "1.0"),
            ],
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk=",
        ),
        // RFC 5849 §1.2 (no `oauth_version`: it is optional).
        (
            "GET",
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
            &[
                ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
                ("oauth_token", "nnch734d00sl2jdk"),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "137131202"),
                ("oauth_nonce", "chapoH"),
            ],
            "kd94hf93k423kf44",
            "pfkkdhi9sl3r4s00",
            "MdpQcU8iPSUjWoN/UDMsK2sui9I=",
        ),
    ];
    for (method, request, params, consumer_secret, token_secret, expected) in table {
        let signed = signature(method, &url(request), params, consumer_secret, token_secret);
        assert_eq!(signed, expected, "{request}");
    }
}

const X_EXAMPLE: Credentials<'static> = Credentials {
    consumer_key: "xvz1evFS4wEEPTGEFPHBog",
    consumer_secret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    token_secret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
};

#[test]
fn the_header_of_x_s_example_carries_its_signature_encoded() {
    let request = url("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");
    let form = [(
        "status",
        "Hello Ladies + Gentlemen, a signed OAuth request!",
    )];
    let header = authorization(
        "POST",
        &request,
        &form,
        &X_EXAMPLE,
        "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
        1_318_622_958,
    );
    assert_eq!(
        header,
        "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", \
         oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", \
         oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", \
         oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", \
         oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", \
         oauth_version=\"1.0\""
    );
}

#[test]
fn a_server_verifies_a_header_against_its_own_secrets_only() {
    let media = url("http://127.0.0.1:4000/1.1/ton/data/dm/1/2/a.jpg?size=large");
    let header = authorization("GET", &media, &[], &X_EXAMPLE, "nonce-1", 1_700_000_000);
    let presented = Presented::parse(&header).expect("an OAuth header");
    assert_eq!(presented.get("oauth_token"), Some(X_EXAMPLE.token));
    assert_eq!(presented.get("oauth_nonce"), Some("nonce-1"));
    let (consumer, token) = (X_EXAMPLE.consumer_secret, X_EXAMPLE.token_secret);
    assert!(presented.signature_valid("GET", &media, &[], consumer, token));
    let table = [
        ("POST", media.as_str(), consumer, token),
        (
            "GET",
            "http://127.0.0.1:4000/1.1/ton/data/dm/1/2/b.jpg?size=large",
            consumer,
            token,
        ),
        (
            "GET",
            "http://127.0.0.1:4000/1.1/ton/data/dm/1/2/a.jpg",
            consumer,
            token,
        ),
        ("GET", media.as_str(), consumer, "another token secret"),
        ("GET", media.as_str(), "another consumer secret", token),
    ];
    for (method, other, consumer, token) in table {
        assert!(
            !presented.signature_valid(method, &url(other), &[], consumer, token),
            "{method} {other}"
        );
    }
    for header in ["Bearer abc", "OAuth", "OAuth oauth_token=abc", ""] {
        let parsed = Presented::parse(header);
        let valid = parsed.is_some_and(|p| p.signature_valid("GET", &media, &[], consumer, token));
        assert!(!valid, "{header}");
    }
}
