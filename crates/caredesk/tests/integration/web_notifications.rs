//! Mentions and the bell in a real browser, two users at once: the agent types `@` in a case's
//! internal note, picks a colleague from the list with the keyboard and adds the note; in the
//! colleague's own session (cookies of its own) the bell's unread count rises live, its list
//! says "agent mentioned you on #N", and choosing the line opens the case and marks it read.
//! "Mark all read" empties the count. Checked at 1280 and 390 px.

use fantoccini::key::Key;

use crate::browser::Browser;
use crate::support::{escalated, World};

#[tokio::test]
async fn a_mention_typed_by_one_user_reaches_the_other_users_bell_live() {
    let w = World::new().await;
    let case = escalated(
        &w,
        w.dm("ann", "dm-1", "where is my parcel?"),
        Some(w.agent.id),
    )
    .await;
    let other = escalated(&w, w.dm("bob", "dm-2", "hello?"), Some(w.agent.id)).await;
    let Some(agent) = Browser::start(&w).await else {
        return;
    };
    let colleague = agent.second_session().await;
    colleague.sign_in("agent2@example.com").await;
    colleague.open("/care").await;
    colleague.wait_for("#bell-button").await;
    let count = "return document.getElementById('bell-count').hidden ? 0 : Number(document.getElementById('bell-count').textContent);";
    let counts = |n: u32| {
        format!("return (document.getElementById('bell-count').hidden ? 0 : Number(document.getElementById('bell-count').textContent)) === {n};")
    };
    assert_eq!(colleague.eval(count).await, 0);

    agent.sign_in("agent@example.com").await;
    agent.open(&format!("/care/cases/{}", case.number)).await;
    let note = agent.wait_for("#note-text").await;
    note.click().await.expect("focus the note");
    note.send_keys("Could you check this, @age")
        .await
        .expect("type");
    agent
        .wait_until(
            "the picker offers the colleagues named like `age`",
            "const l = document.getElementById('mention-picker'); return !!l && !l.hidden && Array.from(l.querySelectorAll('[role=option]')).some(o => o.textContent === 'agent2');",
        )
        .await;
    let offered = agent
        .eval("return Array.from(document.querySelectorAll('#mention-picker [role=option]')).map(o => o.textContent);")
        .await;
    assert!(
        !offered
            .as_array()
            .expect("names")
            .iter()
            .any(|n| n == "agent" || n == "community"),
        "neither the writer nor a Community agent is offered: {offered}"
    );
    agent.screenshot("mention-picker").await;
    let position = offered
        .as_array()
        .expect("names")
        .iter()
        .position(|n| n == "agent2")
        .expect("agent2 offered");
    for _ in 0..position {
        note.send_keys(&Key::Down.to_string()).await.expect("down");
    }
    note.send_keys(&Key::Enter.to_string())
        .await
        .expect("enter");
    agent
        .wait_until(
            "the name replaces `@age`",
            "return document.getElementById('note-text').value === 'Could you check this, @agent2 ';",
        )
        .await;
    agent.click("#note-form button[type=submit]").await;
    agent.wait_for_text("#care-flash", "notified").await;

    // The colleague's bell counts it without a reload, and says what happened.
    colleague
        .wait_until("the bell counts one unread", &counts(1))
        .await;
    colleague.click("#bell-button").await;
    let words = format!("agent mentioned you on #{}", case.number);
    colleague.wait_for_text("#bell-items", &words).await;
    colleague.screenshot("bell-open").await;
    colleague.resize(390, 844).await;
    colleague
        .assert_no_horizontal_overflow("the bell on a phone")
        .await;
    colleague
        .wait_until(
            "the bell's list lies wholly on a phone's screen",
            "const r = document.querySelector('.bell-panel').getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;",
        )
        .await;
    colleague.screenshot("bell-open-phone").await;
    colleague.resize(1280, 800).await;

    // Choosing it opens the case and marks it read.
    colleague.click("#bell-items a[data-notification]").await;
    colleague
        .wait_until(
            "the case opens",
            &format!(
                "return location.pathname === '/care/cases/{}';",
                case.number
            ),
        )
        .await;
    colleague.wait_for("#bell-button").await;
    assert_eq!(colleague.eval(count).await, 0);

    // Two more, then "Mark all read".
    for (c, text) in [(&case, "again"), (&other, "and here")] {
        w.app
            .add_note(w.agent.id, c.id, text, &[w.other_agent.id], None)
            .await
            .expect("note");
    }
    colleague
        .wait_until("the bell counts two unread", &counts(2))
        .await;
    colleague.click("#bell-button").await;
    colleague
        .wait_for_text("#bell-items", &format!("#{}", other.number))
        .await;
    colleague.click("#bell-read-all").await;
    colleague
        .wait_until("the bell counts none", &counts(0))
        .await;
    colleague
        .wait_until(
            "no line of the list reads as unread",
            "return document.querySelectorAll('#bell-items li').length >= 2 && document.querySelectorAll('#bell-items li.unread').length === 0;",
        )
        .await;
    colleague.screenshot("bell-all-read").await;
    colleague.resize(390, 844).await;
    colleague
        .wait_until(
            "the bell's list lies wholly on a phone's screen",
            "const r = document.querySelector('.bell-panel').getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;",
        )
        .await;
    colleague.screenshot("bell-all-read-phone").await;
    assert_eq!(
        w.app
            .unread_notifications(&w.other_agent)
            .await
            .expect("unread"),
        0,
        "the server holds them read too"
    );
    colleague.close().await;
    agent.close().await;
}
