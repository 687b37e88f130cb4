//! The Saved replies section of Settings (PRODUCT.md §12), for every Care user: the shared
//! replies (supervisors change them, agents read them) and the user's own, each editable in
//! place, and a form to add one. `assets/settings.js` saves through the JSON API and shows a
//! refusal next to the field it names.

use caredesk_domain::saved_reply::Variable;
use caredesk_domain::{SavedReply, User};

/// A saved reply's row.
pub(crate) struct ReplyRow {
    pub id: String,
    pub name: String,
    pub text: String,
    /// The viewer may change and delete it.
    pub editable: bool,
}

/// The shared replies, or the viewer's own.
pub(crate) struct ReplyGroup {
    /// `shared` or `own`, for ids.
    pub key: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// What an empty group says.
    pub empty: &'static str,
    /// Its replies, by name.
    pub rows: Vec<ReplyRow>,
}

/// The section as one user sees it.
pub(crate) struct RepliesSection {
    /// The shared replies, then the viewer's own.
    pub groups: [ReplyGroup; 2],
    /// The viewer keeps the shared ones (a supervisor).
    pub may_share: bool,
    /// The variables a text may hold, as written (`{{customer.name}}`).
    pub variables: Vec<String>,
}

impl RepliesSection {
    /// The section of `user`, who may use `replies` (the shared ones and their own).
    pub(crate) fn new(user: &User, replies: &[SavedReply]) -> Self {
        let may_share = user.is_supervisor();
        let row = |r: &SavedReply| ReplyRow {
            id: r.id.to_string(),
            name: r.name.clone(),
            text: r.text.clone(),
            editable: may_share || !r.is_shared(),
        };
        let shared = ReplyGroup {
            key: "shared",
            title: "Shared with the desk",
            empty: if may_share {
                "No shared replies yet. Add one below and tick \"Shared with the desk\"."
            } else {
                "No shared replies yet. Supervisors add them."
            },
            rows: replies.iter().filter(|r| r.is_shared()).map(row).collect(),
        };
        let own = ReplyGroup {
            key: "own",
            title: "Yours",
            empty: "No saved replies of your own yet. Add one below.",
            rows: replies.iter().filter(|r| !r.is_shared()).map(row).collect(),
        };
        RepliesSection {
            groups: [shared, own],
            may_share,
            variables: Variable::ALL
                .iter()
                .map(|v| format!("{{{{{}}}}}", v.name()))
                .collect(),
        }
    }
}
