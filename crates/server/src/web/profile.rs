//! "Your profile", for every signed-in user: their name and the time zone their times are shown
//! in (PRODUCT.md §12 "Times"), the browser's own zone when they choose none. The zones offered
//! are the domain's list; `assets/profile.js` saves through `PATCH /api/v1/me` and shows a
//! refusal next to the form.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use caredesk_domain::time_zone::offered_names;

use super::forms::Choice;
use super::layout::Chrome;
use super::{render, WebUser};
use crate::AppState;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    name: String,
    email: String,
    /// Every zone, the user's selected (their own first when the list lacks it).
    zones: Vec<Choice>,
    /// No zone chosen: times follow the browser.
    browser_zone: bool,
    /// Now, to show how times read in the chosen zone.
    now: String,
}

/// The zones offered, with `chosen` selected (kept even when the list does not hold it).
fn zone_choices(chosen: Option<&str>) -> Vec<Choice> {
    let mut names = offered_names();
    if let Some(chosen) = chosen.filter(|c| !names.iter().any(|n| n == c)) {
        names.insert(0, chosen.to_owned());
    }
    names
        .into_iter()
        .map(|name| Choice {
            selected: Some(name.as_str()) == chosen,
            label: name.replace('_', " "),
            value: name,
        })
        .collect()
}

/// `GET /profile`.
pub(crate) async fn page(State(state): State<AppState>, who: WebUser) -> Response {
    let chrome = Chrome::load(&state, &who, "profile").await;
    let chosen = who.user.time_zone.as_ref().map(|z| z.as_str());
    render(&ProfilePage {
        name: who.user.name.clone(),
        email: who.user.email.clone(),
        zones: zone_choices(chosen),
        browser_zone: chosen.is_none(),
        now: state.app.now().to_rfc3339(),
        chrome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_zone_is_selected_and_kept_when_the_list_lacks_it() {
        let zones = zone_choices(Some("America/New_York"));
        let selected: Vec<&str> = zones
            .iter()
            .filter(|z| z.selected)
            .map(|z| z.value.as_str())
            .collect();
        assert_eq!(selected, ["America/New_York"]);
        assert!(zones.iter().any(|z| z.label == "America/New York"));
        let unusual = zone_choices(Some("EST5EDT"));
        assert_eq!(unusual[0].value, "EST5EDT");
        assert!(unusual[0].selected);
        assert!(zone_choices(None).iter().all(|z| !z.selected));
    }
}
