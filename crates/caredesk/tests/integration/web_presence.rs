//! Collision in real browsers: two agents open one case in two browsers of their own; each sees
//! the other's avatar, one sees "agent is typing…" while the other types in the composer (and
//! no longer a few seconds after), and the avatar goes as soon as the other's page leaves.

use crate::browser::Browser;
use crate::support::{escalated, World};

/// The avatars' labels shown on the open case, as `labels`.
const AVATARS: &str = "const labels = Array.from(document.querySelectorAll('#presence-avatars .avatar')).map(a => a.getAttribute('aria-label')).join('|');";

#[tokio::test]
async fn two_agents_on_one_case_see_each_other_and_who_is_typing() {
    let w = World::new().await;
    let case = escalated(
        &w,
        w.dm("ann", "dm-1", "where is my parcel?"),
        Some(w.agent.id),
    )
    .await;
    let Some(ann) = Browser::start(&w).await else {
        return;
    };
    let bob = ann.second_session().await;
    ann.sign_in("agent@example.com").await;
    bob.sign_in("agent2@example.com").await;
    let page = format!("/care/cases/{}", case.number);
    ann.open(&page).await;
    bob.open(&page).await;

    ann.wait_until(
        "the assignee sees the colleague's avatar",
        &format!("{AVATARS} return labels === 'agent2 has this case open';"),
    )
    .await;
    bob.wait_until(
        "the colleague sees the assignee's avatar",
        &format!("{AVATARS} return labels === 'agent has this case open';"),
    )
    .await;
    let initials = bob
        .eval("return document.querySelector('#presence-avatars .avatar').textContent;")
        .await;
    assert_eq!(initials, "AG");
    assert_eq!(bob.text("#typing").await, "", "nobody types yet");

    // The assignee types: the colleague reads it within a few seconds, then it stops.
    let reply = ann.wait_for("#reply-text").await;
    reply.click().await.expect("focus the reply");
    reply.send_keys("We are looking").await.expect("type");
    bob.wait_for_text("#typing", "agent is typing…").await;
    bob.wait_until(
        "the typing avatar is marked",
        "return document.querySelector('#presence-avatars .avatar.is-typing') !== null;",
    )
    .await;
    bob.screenshot("care-presence-typing").await;
    bob.resize(390, 844).await;
    bob.assert_no_horizontal_overflow("the case on a phone")
        .await;
    bob.screenshot("care-presence-typing-phone").await;
    bob.resize(1280, 800).await;
    bob.wait_until(
        "typing ends a few seconds after the last key",
        "return document.getElementById('typing').textContent === '' && document.querySelectorAll('#presence-avatars .avatar').length === 1;",
    )
    .await;

    // The colleague's page leaves: the assignee stops seeing them at once, not after 30 s.
    bob.open("/care").await;
    ann.wait_until(
        "the colleague's avatar goes when their page leaves",
        "return document.getElementById('presence').hidden && document.querySelectorAll('#presence-avatars .avatar').length === 0;",
    )
    .await;
    let kept = ann
        .eval("return document.getElementById('reply-text').value;")
        .await;
    assert_eq!(kept, "We are looking", "nothing the agent typed was lost");
    bob.close().await;
    ann.close().await;
}
