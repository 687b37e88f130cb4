//! Tests of saved replies (PRODUCT.md §12): names and texts checked when saved, unknown
//! variables named, the six variables filled for a case and an agent, the listing order, and
//! properties: filling never panics and leaves text without `{{` as it is.

use proptest::prelude::*;

use super::*;
use crate::customer::CustomerDetails;
use crate::ids::{CustomerId, NetworkAppId, ProfileId};
use crate::network::Network;
use crate::reply::Channel;
use crate::testkit::{agent, case, t};

fn customer(network: Network, display_name: &str, handle: &str) -> Customer {
    Customer {
        id: CustomerId(1),
        network,
        network_user_id: "100200300".into(),
        details: CustomerDetails {
            display_name: display_name.into(),
            handle: handle.into(),
            ..CustomerDetails::default()
        },
        salesforce: None,
        agent_edited: Default::default(),
        lookup: Default::default(),
    }
}

fn profile(name: &str) -> Profile {
    Profile {
        id: ProfileId(1),
        network: Network::Facebook,
        external_id: "page-1".into(),
        name: name.into(),
        app_id: NetworkAppId(1),
        access_token: String::new(),
        token_secret: String::new(),
        auto_assign: false,
    }
}

fn fill() -> Fill {
    Fill {
        customer_name: "Ann Lee".into(),
        customer_first_name: "Ann".into(),
        agent_name: "Bob Stone".into(),
        case_number: "1234".into(),
        profile_name: "Brand Page".into(),
    }
}

#[test]
fn variables_are_filled_and_everything_else_is_kept() {
    let table = [
        ("Hi {{customer.first_name}}!", "Hi Ann!"),
        ("Dear {{ customer.name }},", "Dear Ann Lee,"),
        ("{{agent.name}} / {{agent.first_name}}", "Bob Stone / Bob"),
        (
            "Case #{{case.number}} at {{profile.name}}",
            "Case #1234 at Brand Page",
        ),
        ("{{\tcase.number\n}}", "1234"),
        ("{{customer.first_name}}{{customer.first_name}}", "AnnAnn"),
        ("no variables at all", "no variables at all"),
        ("an opening {{ never closed", "an opening {{ never closed"),
        ("closing }} alone", "closing }} alone"),
        ("{{{customer.first_name}}}", "{Ann}"),
        ("{{ {{customer.first_name}}", "{{ Ann"),
        ("{{unknown}} stays", "{{unknown}} stays"),
        (
            "{{Customer.Name}} is not a variable",
            "{{Customer.Name}} is not a variable",
        ),
        ("", ""),
        (
            "émoji 🙂 {{customer.first_name}} ünïcode",
            "émoji 🙂 Ann ünïcode",
        ),
    ];
    for (text, expected) in table {
        assert_eq!(render(text, &fill()), expected, "{text:?}");
    }
}

#[test]
fn an_empty_value_renders_empty() {
    let empty = Fill {
        profile_name: String::new(),
        agent_name: "   ".into(),
        ..fill()
    };
    assert_eq!(
        render("[{{profile.name}}][{{agent.first_name}}]", &empty),
        "[][]"
    );
}

#[test]
fn unknown_variables_are_named_once_each_in_order() {
    let table: [(&str, &[&str]); 7] = [
        ("Hi {{customer.name}}", &[]),
        (
            "{{order.id}} and {{ order.id }} and {{foo}}",
            &["{{order.id}}", "{{foo}}"],
        ),
        ("{{}}", &["{{}}"]),
        ("{{ customer.email }}", &["{{customer.email}}"]),
        ("{{CASE.NUMBER}}", &["{{CASE.NUMBER}}"]),
        ("{{ agent.name", &[]),
        ("{{customer name}}", &["{{customer name}}"]),
    ];
    for (text, expected) in table {
        assert_eq!(unknown_variables(text), expected, "{text:?}");
    }
}

#[test]
fn names_and_texts_are_checked_when_saved() {
    let at = t(0);
    let ok = NewSavedReply::checked("  Thanks  ", "Thanks {{customer.first_name}}!", None, at)
        .expect("a good reply");
    assert_eq!(ok.name, "Thanks", "the name is trimmed");
    let long_name = "n".repeat(MAX_NAME_CHARS + 1);
    let long_text = "t".repeat(MAX_TEXT_CHARS + 1);
    let fits_text = "é".repeat(MAX_TEXT_CHARS);
    let table: [(&str, &str, Option<&str>); 7] = [
        ("", "text", Some("name: must be 1 to 100 characters")),
        ("   ", "text", Some("name: ")),
        (&long_name, "text", Some("name: ")),
        ("Name", "  \n ", Some("text: must be 1 to 10000 characters")),
        ("Name", &long_text, Some("text: ")),
        ("Name", &fits_text, None),
        (
            "Name",
            "Hi {{customer.email}} {{x}}",
            Some("text: unknown variables {{customer.email}}, {{x}}; the variables are {{customer.name}}, {{customer.first_name}}, {{agent.name}}, {{agent.first_name}}, {{case.number}}, {{profile.name}}"),
        ),
    ];
    for (name, text, refused) in table {
        let result = NewSavedReply::checked(name, text, None, at);
        match refused {
            None => assert!(result.is_ok(), "{name:?} {:?}", result.err()),
            Some(start) => {
                let refusal = result.expect_err("refused");
                assert_eq!(refusal.code(), "validation_failed");
                assert!(refusal.to_string().starts_with(start), "{refusal}");
            }
        }
    }
    assert_eq!(
        NewSavedReply::checked("N", "{{y}}", None, at)
            .expect_err("unknown")
            .to_string()
            .split(';')
            .next(),
        Some("text: unknown variable {{y}}")
    );
}

#[test]
fn an_edit_changes_only_what_it_names_and_is_checked() {
    let reply = NewSavedReply::checked("Thanks", "Thank you!", Some(UserId(2)), t(0))
        .expect("reply")
        .stored_as(SavedReplyId(7));
    let renamed = reply
        .edited(
            SavedReplyEdit {
                name: Some(" Thanks a lot ".into()),
                ..Default::default()
            },
            t(60),
        )
        .expect("renamed");
    assert_eq!(renamed.name, "Thanks a lot");
    assert_eq!(renamed.text, reply.text);
    assert_eq!(renamed.owner, Some(UserId(2)));
    assert_eq!((renamed.created_at, renamed.updated_at), (t(0), t(60)));
    let shared = reply
        .edited(
            SavedReplyEdit {
                owner: Some(None),
                ..Default::default()
            },
            t(60),
        )
        .expect("shared");
    assert!(shared.is_shared());
    let refused = reply.edited(
        SavedReplyEdit {
            text: Some("{{nope}}".into()),
            ..Default::default()
        },
        t(60),
    );
    assert_eq!(refused.expect_err("unknown").code(), "validation_failed");
}

#[test]
fn a_fill_takes_the_case_the_customer_the_agent_and_the_profile() {
    let the_case = case().number(42).build();
    let mut me = agent();
    me.name = "  Bob Stone ".into();
    let table = [
        (
            customer(Network::Facebook, "Ann  Marie Lee", "ann"),
            "Ann  Marie Lee",
            "Ann",
        ),
        (customer(Network::X, "", "@ann_x"), "@ann_x", "@ann_x"),
        (
            customer(Network::Facebook, "", ""),
            "Facebook user ···0300",
            "Facebook user ···0300",
        ),
    ];
    for (who, name, first) in &table {
        let fill = Fill::for_case(&the_case, who, &me, Some(&profile("Brand")));
        assert_eq!(fill.customer_name, *name);
        assert_eq!(fill.customer_first_name, *first);
        assert_eq!(fill.value(Variable::AgentName), "Bob Stone");
        assert_eq!(fill.value(Variable::AgentFirstName), "Bob");
        assert_eq!(fill.value(Variable::CaseNumber), "42");
        assert_eq!(fill.value(Variable::ProfileName), "Brand");
    }
    let gone = Fill::for_case(&the_case, &table[0].0, &me, None);
    assert_eq!(render("[{{profile.name}}]", &gone), "[]");
}

#[test]
fn replies_are_listed_by_name_ignoring_case() {
    let reply = |id: i64, name: &str| {
        NewSavedReply::checked(name, "text", None, t(0))
            .expect("reply")
            .stored_as(SavedReplyId(id))
    };
    let mut replies = [reply(1, "b"), reply(2, "A"), reply(3, "a"), reply(4, "a")];
    replies.sort_by(by_name);
    let order: Vec<i64> = replies.iter().map(|r| r.id.0).collect();
    assert_eq!(order, [2, 3, 4, 1]);
}

#[test]
fn the_longest_text_is_the_longest_reply_a_network_takes() {
    let channels = [
        Channel::FacebookComment {
            parent_network_id: String::new(),
        },
        Channel::MessengerMessage {
            human_agent_tag: false,
        },
        Channel::PrivateReply {
            comment_network_id: String::new(),
        },
        Channel::InstagramCommentReply {
            comment_network_id: String::new(),
        },
        Channel::InstagramMediaComment {
            media_network_id: String::new(),
        },
        Channel::InstagramDirect,
        Channel::XReply {
            in_reply_to_network_id: String::new(),
        },
        Channel::XDirect,
    ];
    let longest = channels.iter().map(Channel::max_chars).max();
    assert_eq!(longest, Some(MAX_TEXT_CHARS));
}

proptest! {
    #[test]
    fn rendering_never_panics_and_keeps_text_without_openings(text in any::<String>()) {
        let rendered = render(&text, &fill());
        if !text.contains("{{") {
            prop_assert_eq!(&rendered, &text);
        }
        let _ = unknown_variables(&text);
    }

    #[test]
    fn a_reply_of_known_variables_leaves_none_unfilled(text in "[{} a-z._é]{0,40}") {
        let rendered = render(&text, &fill());
        if unknown_variables(&text).is_empty() {
            for variable in Variable::ALL {
                let placeholder = format!("{{{{{}}}}}", variable.name());
                prop_assert!(!rendered.contains(&placeholder), "{} in {:?}", placeholder, rendered);
            }
        }
    }
}
