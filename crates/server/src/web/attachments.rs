//! Attachments in words and pictures (UI.md "Media"): what each shows in a conversation — a
//! thumbnail, a player, a chip, a link with its host, coordinates with a map link, or why there
//! is nothing to show — and the one-line summary a list row shows when a message has no text.

use caredesk_domain::media::media_path;
use caredesk_domain::{Attachment, AttachmentKind, MediaState, Message, Network};

/// One attachment as the page shows it.
pub(crate) struct AttachmentView {
    /// How the page draws it: `picture`, `video`, `audio`, `file`, `link`, `location` or
    /// `unsupported`.
    pub shape: &'static str,
    /// What it is, in words ("Photo", "Story mention").
    pub label: &'static str,
    /// The desk's copy (`/api/v1/media/{id}`), when it has one.
    pub src: String,
    /// Where to open it elsewhere: the network's page, the shared link or a map.
    pub link: String,
    /// The words of that link (a host, coordinates, "Open on Instagram").
    pub link_words: String,
    /// A title the network gave (a shared page's, a file's).
    pub title: String,
    /// Why the copy is missing ("no longer available", "being kept"), empty when shown.
    pub note: &'static str,
}

/// An attachment kind in words.
pub(crate) fn kind_label(kind: AttachmentKind) -> &'static str {
    match kind {
        AttachmentKind::Image => "Photo",
        AttachmentKind::Video => "Video",
        AttachmentKind::Audio => "Audio",
        AttachmentKind::File => "File",
        AttachmentKind::Sticker => "Sticker",
        AttachmentKind::Gif => "GIF",
        AttachmentKind::StoryMention => "Story mention",
        AttachmentKind::StoryReply => "Reply to a story",
        AttachmentKind::Share => "Shared link",
        AttachmentKind::Location => "Location",
        AttachmentKind::Unsupported => "Unsupported message",
    }
}

/// The host of a URL, for a link's words ("example.com").
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Only web addresses become links (never `javascript:` or `data:` from a payload).
fn web_link(url: Option<&str>) -> String {
    match url {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => u.to_owned(),
        _ => String::new(),
    }
}

fn view(a: &Attachment, network: Network) -> AttachmentView {
    let label = kind_label(a.kind);
    let network_link = web_link(a.network_url.as_deref());
    let src = match (a.state, a.media_id) {
        (MediaState::Stored, Some(id)) => media_path(id),
        _ => String::new(),
    };
    let note = match a.state {
        MediaState::Unavailable => "no longer available",
        MediaState::Pending => "being kept",
        MediaState::Stored | MediaState::Link => "",
    };
    let open_on = format!("Open on {}", network.label());
    let (shape, link, link_words) = match a.kind {
        AttachmentKind::Image
        | AttachmentKind::Sticker
        | AttachmentKind::Gif
        | AttachmentKind::StoryMention
        | AttachmentKind::StoryReply => ("picture", network_link, open_on),
        AttachmentKind::Video => ("video", network_link, open_on),
        AttachmentKind::Audio => ("audio", network_link, open_on),
        AttachmentKind::File => ("file", network_link, open_on),
        AttachmentKind::Share => {
            let words = host(&network_link);
            ("link", network_link, words)
        }
        AttachmentKind::Location => match (a.latitude, a.longitude) {
            (Some(lat), Some(lon)) => (
                "location",
                format!(
                    "https://www.openstreetmap.org/?mlat={:.5}&mlon={:.5}#map=16/{:.5}/{:.5}",
                    lat.0, lon.0, lat.0, lon.0
                ),
                format!("{:.5}, {:.5}", lat.0, lon.0),
            ),
            _ => ("location", network_link, open_on),
        },
        AttachmentKind::Unsupported => ("unsupported", network_link, unsupported_words(network)),
    };
    AttachmentView {
        shape,
        label,
        src,
        link,
        link_words,
        title: a.title.clone().unwrap_or_default(),
        note: if a.kind.is_kept() { note } else { "" },
    }
}

/// The attachments of a message as the page shows them: a story the message answers or
/// mentions first, above the rest.
pub(crate) fn views(message: &Message, network: Network) -> Vec<AttachmentView> {
    let mut stories: Vec<AttachmentView> = Vec::new();
    let mut rest: Vec<AttachmentView> = Vec::new();
    for a in &message.attachments {
        let shown = view(a, network);
        match a.kind {
            AttachmentKind::StoryMention | AttachmentKind::StoryReply => stories.push(shown),
            _ => rest.push(shown),
        }
    }
    stories.extend(rest);
    stories
}

/// What a customer sent that the product cannot show, in words.
pub(crate) fn unsupported_words(network: Network) -> String {
    format!("unsupported message — open it on {}", network.label())
}

/// The first line of a text that is not blank, at most `chars` characters.
fn first_line(text: &str, chars: usize) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut short: String = line.chars().take(chars).collect();
    if line.chars().count() > chars {
        short.push('…');
    }
    short
}

/// The first line a list row shows for a message: its text, else what it carries ("Photo",
/// "Photo and 2 more"), never an empty line.
pub(crate) fn summary(message: &Message, chars: usize) -> String {
    let line = first_line(&message.text, chars);
    if !line.is_empty() {
        return line;
    }
    match message.attachments.split_first() {
        Some((first, [])) => kind_label(first.kind).to_owned(),
        Some((first, more)) => format!("{} and {} more", kind_label(first.kind), more.len()),
        None => "(no text)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use caredesk_domain::attachment::Degrees;
    use caredesk_domain::{
        Author, MediaId, MessageId, MessageKind, NewMessage, ProfileId, Timestamp,
    };

    fn message(text: &str, attachments: Vec<Attachment>) -> Message {
        let written = NewMessage::written(
            ProfileId(1),
            MessageKind::Direct,
            Author::Customer,
            text,
            Timestamp(0),
        );
        NewMessage {
            attachments,
            ..written
        }
        .stored_as(MessageId(1))
    }

    #[test]
    fn a_first_line_is_short() {
        assert_eq!(first_line("\nhello\nworld", 10), "hello");
        assert_eq!(first_line("abcdef", 3), "abc…");
    }

    #[test]
    fn a_row_without_text_names_what_it_carries() {
        let photo = Attachment::at(AttachmentKind::Image, Some("https://cdn/a.jpg".into()));
        let file = Attachment::at(AttachmentKind::File, Some("https://cdn/b.pdf".into()));
        let table = [
            (message("hello\nthere", vec![photo.clone()]), "hello"),
            (message("", vec![photo.clone()]), "Photo"),
            (
                message(" \n", vec![photo.clone(), file]),
                "Photo and 1 more",
            ),
            (message("", vec![]), "(no text)"),
        ];
        for (m, expected) in table {
            assert_eq!(summary(&m, 90), expected);
        }
    }

    #[test]
    fn each_kind_is_drawn_with_a_safe_link() {
        let mut stored = Attachment::at(AttachmentKind::Image, Some("https://cdn/a.jpg".into()));
        stored.state = MediaState::Stored;
        stored.media_id = Some(MediaId(7));
        let hostile = Attachment::at(AttachmentKind::Share, Some("javascript:alert(1)".into()));
        let place = Attachment {
            latitude: Some(Degrees(52.52)),
            longitude: Some(Degrees(13.405)),
            ..Attachment::at(AttachmentKind::Location, None)
        };
        let gone = Attachment {
            state: MediaState::Unavailable,
            ..Attachment::at(AttachmentKind::Video, Some("https://cdn/v.mp4".into()))
        };
        let share = Attachment {
            title: Some("Our shop".into()),
            ..Attachment::at(
                AttachmentKind::Share,
                Some("https://shop.example/p/1?x=1".into()),
            )
        };
        let story = Attachment::at(AttachmentKind::StoryReply, Some("https://cdn/s".into()));
        let m = message("", vec![stored, hostile, place, gone, share, story]);
        let shown = views(&m, Network::Instagram);
        assert_eq!(shown[0].label, "Reply to a story", "a story comes first");
        assert_eq!(shown[1].src, "/api/v1/media/7");
        assert_eq!(shown[1].shape, "picture");
        assert_eq!(shown[2].link, "", "only web addresses become links");
        assert_eq!(shown[3].link_words, "52.52000, 13.40500");
        assert!(shown[3].link.starts_with("https://www.openstreetmap.org/"));
        assert_eq!(shown[4].note, "no longer available");
        assert_eq!(shown[5].link_words, "shop.example");
        assert_eq!(shown[5].title, "Our shop");
    }
}
