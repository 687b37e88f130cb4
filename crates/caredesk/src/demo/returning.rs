//! Returning customers: the people whose case is in progress or done within its grace period,
//! read from the desk as an admin sees it, so the simulation can have them write again.

use caredesk_app::App;
use caredesk_domain::ProfileId;
use caredesk_fakes::Person;
use caredesk_store::{CaseFilter, CaseQuery, View, Viewer};

/// How many cases of each view are looked at.
const LOOK_AT: u32 = 100;

/// A customer with an active case, and the profile the case is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Returning {
    /// The profile.
    pub profile_id: ProfileId,
    /// The customer, as the network knows them.
    pub person: Person,
}

/// Every customer with an active case (in progress, or done within its grace period).
pub async fn with_active_cases(app: &App) -> anyhow::Result<Vec<Returning>> {
    let users = app.store().users().await?;
    let Some(viewer) = users
        .iter()
        .filter(|u| u.user.is_admin())
        .find_map(|u| Viewer::of(&u.user))
    else {
        return Ok(Vec::new());
    };
    let now = app.now();
    let mut returning = Vec::new();
    for view in [View::Inbox, View::Done] {
        let query = CaseQuery {
            viewer: viewer.clone(),
            view,
            filter: CaseFilter::default(),
            sort: None,
            cursor: None,
            limit: LOOK_AT,
        };
        for row in app.store().list_cases(&query).await?.items {
            if !row.case.is_active_at(now) {
                continue;
            }
            let Some(customer) = app.store().customer(row.case.customer_id).await? else {
                continue;
            };
            returning.push(Returning {
                profile_id: row.case.profile_id,
                person: Person::new(
                    customer.network_user_id,
                    customer.details.display_name,
                    customer.details.handle,
                ),
            });
        }
    }
    Ok(returning)
}
