//! Published payload shapes kept as files under `tests/fixtures/` (their sources are listed in
//! `tests/fixtures/README.md`), and what a parser makes of one: each update seen in a form the
//! tables can spell out — kind, author, text, thread, attachments — and what was skipped.

use caredesk_app::delivery::Update;
use caredesk_app::InboundAuthor;
use caredesk_domain::{Attachment, AttachmentKind, MessageKind, Network};
use caredesk_networks::adapter::Parsed;

/// The bytes of a fixture, by its path under `tests/fixtures/`.
fn load(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// An attachment as the tables spell it.
#[derive(Clone, Debug, PartialEq)]
pub struct Att {
    kind: AttachmentKind,
    url: Option<String>,
    title: Option<String>,
    preview: Option<String>,
    mime: Option<String>,
    at: Option<(f64, f64)>,
}

/// An attachment of `kind` at `url`.
pub fn att(kind: AttachmentKind, url: &str) -> Att {
    Att {
        kind,
        url: Some(url.to_owned()),
        title: None,
        preview: None,
        mime: None,
        at: None,
    }
}

/// An unsupported attachment with no URL.
pub fn unsupported() -> Att {
    Att {
        url: None,
        ..att(AttachmentKind::Unsupported, "")
    }
}

/// A location.
pub fn location(lat: f64, long: f64, title: &str) -> Att {
    Att {
        url: None,
        title: Some(title.to_owned()),
        at: Some((lat, long)),
        ..att(AttachmentKind::Location, "")
    }
}

/// Builder methods that set an optional text field.
macro_rules! setters {
    ($($method:ident => $field:ident),* $(,)?) => {
        $(
            pub fn $method(self, value: &str) -> Self {
                Self {
                    $field: Some(value.to_owned()),
                    ..self
                }
            }
        )*
    };
}

impl Att {
    setters!(titled => title, preview => preview, mime => mime);

    fn of(a: &Attachment) -> Att {
        Att {
            kind: a.kind,
            url: a.network_url.clone(),
            title: a.title.clone(),
            preview: a.preview_url.clone(),
            mime: a.mime.clone(),
            at: a
                .latitude
                .zip(a.longitude)
                .map(|(lat, long)| (lat.0, long.0)),
        }
    }
}

/// A new message as the tables spell it.
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    profile: (Network, String),
    id: String,
    kind: MessageKind,
    author: InboundAuthor,
    text: String,
    parent: Option<String>,
    root: Option<String>,
    standby: bool,
    attachments: Vec<Att>,
    secs: i64,
}

/// A message on `profile` with id `id`, created at `secs`, in no thread, with nothing attached.
pub fn msg(
    profile: (Network, &str),
    id: &str,
    kind: MessageKind,
    author: InboundAuthor,
    text: &str,
    secs: i64,
) -> Msg {
    Msg {
        profile: (profile.0, profile.1.to_owned()),
        id: id.to_owned(),
        kind,
        author,
        text: text.to_owned(),
        parent: None,
        root: None,
        standby: false,
        attachments: Vec::new(),
        secs,
    }
}

impl Msg {
    setters!(parent => parent, root => root);

    pub fn standby(self) -> Msg {
        Msg {
            standby: true,
            ..self
        }
    }

    pub fn with(mut self, attachment: Att) -> Msg {
        self.attachments.push(attachment);
        self
    }
}

/// A customer, as the network names them.
pub fn customer(id: &str, name: &str, handle: &str) -> InboundAuthor {
    InboundAuthor::Customer {
        network_user_id: id.to_owned(),
        display_name: name.to_owned(),
        handle: handle.to_owned(),
    }
}

/// The brand, writing to the customer `id`.
pub fn brand(id: &str) -> InboundAuthor {
    InboundAuthor::Brand {
        customer_network_user_id: id.to_owned(),
    }
}

/// One update as the tables spell it.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    Message(Msg),
    /// A new text for a message seen before.
    Edit((Network, String), String, String),
    /// A mention to look up: its profile, post and comment.
    LookUp((Network, String), String, Option<String>),
}

/// The look-up of the mention of `profile` on `post` (in `comment`).
pub fn look_up(profile: (Network, &str), post: &str, comment: Option<&str>) -> Seen {
    Seen::LookUp(
        (profile.0, profile.1.to_owned()),
        post.to_owned(),
        comment.map(str::to_owned),
    )
}

/// The edit of message `id` on `profile` to `text`.
pub fn edit(profile: (Network, &str), id: &str, text: &str) -> Seen {
    Seen::Edit(
        (profile.0, profile.1.to_owned()),
        id.to_owned(),
        text.to_owned(),
    )
}

fn seen(update: &Update) -> Seen {
    match update {
        Update::Message { profile, message } => Seen::Message(Msg {
            profile: profile.clone(),
            id: message.network_id.clone(),
            kind: message.kind,
            author: message.author.clone(),
            text: message.text.clone(),
            parent: message.parent_network_id.clone(),
            root: message.root_network_id.clone(),
            standby: message.standby,
            attachments: message.attachments.iter().map(Att::of).collect(),
            secs: message.created_at.as_secs(),
        }),
        Update::Edit {
            profile,
            network_id,
            edit,
        } => {
            assert_eq!(
                (edit.hidden, edit.deleted),
                (None, None),
                "the tables only hold text edits"
            );
            Seen::Edit(
                profile.clone(),
                network_id.clone(),
                edit.text.clone().unwrap_or_default(),
            )
        }
        Update::MentionToLookUp {
            profile,
            post_id,
            comment_id,
        } => Seen::LookUp(profile.clone(), post_id.clone(), comment_id.clone()),
    }
}

/// A fixture and what it must become.
pub struct Case {
    pub file: &'static str,
    pub seen: Vec<Seen>,
    pub skipped: Vec<(&'static str, u32)>,
}

/// A fixture that becomes these updates and skips nothing.
pub fn updates(file: &'static str, seen: Vec<Seen>) -> Case {
    Case {
        file,
        seen,
        skipped: Vec::new(),
    }
}

/// A fixture that becomes these messages and skips nothing.
pub fn messages(file: &'static str, messages: Vec<Msg>) -> Case {
    Case {
        file,
        seen: messages.into_iter().map(Seen::Message).collect(),
        skipped: Vec::new(),
    }
}

/// A fixture that becomes nothing but skips one thing of `kind`.
pub fn skipped(file: &'static str, kind: &'static str) -> Case {
    Case {
        file,
        seen: Vec::new(),
        skipped: vec![(kind, 1)],
    }
}

/// Parses every fixture of the table with `parse` and compares with what it must become.
pub fn check(cases: Vec<Case>, parse: fn(&[u8]) -> Option<Parsed>) {
    for case in cases {
        let (updates, skipped) = parse(&load(case.file)).unwrap_or_else(|| panic!("{}", case.file));
        let got: Vec<Seen> = updates.iter().map(seen).collect();
        assert_eq!(got, case.seen, "{}", case.file);
        let kinds: Vec<(&str, u32)> = skipped
            .kinds
            .iter()
            .map(|(k, n)| (k.as_str(), *n))
            .collect();
        assert_eq!(kinds, case.skipped, "{}", case.file);
    }
}
