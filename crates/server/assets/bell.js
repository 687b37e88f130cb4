// caredesk's notification bell in the top bar: the unread count, kept live from the event
// stream's `notification` events; its list says in words what happened ("Ann mentioned you on
// #1234") and opens the case, marking the notification read; "Mark all read". When the tab is
// hidden and the user allowed it, a new notification also shows as a browser notification; the
// permission is asked only when the user presses the button for it, never on page load. Names
// and words reach the page through textContent.
"use strict";

(() => {
  const bell = () => document.getElementById("bell");
  let users = null;
  let open = false;

  function setCount(count) {
    const badge = document.getElementById("bell-count");
    const button = document.getElementById("bell-button");
    if (!badge || !button) return;
    const n = Math.max(0, Number(count) || 0);
    badge.textContent = n > 99 ? "99+" : String(n);
    badge.hidden = n === 0;
    button.setAttribute("aria-label", n === 0 ? "Notifications, none unread" : `Notifications, ${n} unread`);
    bell().dataset.unread = String(n);
  }

  async function names() {
    if (users) return users;
    const answer = await caredesk.api("GET", "/api/v1/users");
    users = new Map();
    if (answer.ok) for (const u of answer.body.items) users.set(u.id, u.name);
    return users;
  }

  /** What happened, in words. */
  function words(n, who) {
    const actor = n.actor_id ? (who.get(n.actor_id) || "Someone") : null;
    const number = `#${n.case.number}`;
    switch (n.kind) {
      case "assigned": return actor ? `${actor} assigned ${number} to you` : `${number} was assigned to you`;
      case "mentioned": return `${actor || "Someone"} mentioned you on ${number}`;
      case "reopened": return actor ? `${number} was reopened by its customer's message (escalated by ${actor})` : `${number} was reopened by its customer`;
      case "reply_failed": return `Your reply on ${number} could not be sent`;
      case "sla_warning": return `${number} is close to its service-level target`;
      case "sla_breached": return `${number} missed its service-level target`;
      default: return `Something happened on ${number}`;
    }
  }

  async function draw() {
    const list = document.getElementById("bell-items");
    const status = document.getElementById("bell-status");
    if (!list || !status) return;
    status.textContent = "Loading…";
    const [answer, who] = await Promise.all([caredesk.api("GET", "/api/v1/notifications?limit=20"), names()]);
    if (!answer.ok) { status.textContent = caredesk.problem(answer); return; }
    list.replaceChildren();
    for (const n of answer.body.items) {
      const li = document.createElement("li");
      li.className = n.read_at ? "read" : "unread";
      const link = document.createElement("a");
      link.href = `/care/cases/${encodeURIComponent(n.case.number)}`;
      link.dataset.notification = n.id;
      link.dataset.unread = n.read_at ? "" : "true";
      const text = document.createElement("span");
      text.textContent = words(n, who);
      const time = document.createElement("time");
      time.setAttribute("datetime", n.created_at);
      time.dataset.format = "ago";
      link.append(text, " ", time);
      li.append(link);
      list.append(li);
    }
    status.textContent = answer.body.items.length ? "" : "No notifications yet.";
    caredesk.showTimes(list);
    const ask = document.getElementById("bell-allow");
    if (ask) ask.hidden = !("Notification" in window) || Notification.permission !== "default";
  }

  function toggle(show) {
    const panel = document.getElementById("bell-panel");
    const button = document.getElementById("bell-button");
    if (!panel || !button) return;
    open = show === undefined ? !open : show;
    panel.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) draw();
  }

  async function refreshCount() {
    const answer = await caredesk.api("GET", "/api/v1/notifications/unread-count");
    if (answer.ok) setCount(answer.body.count);
  }

  async function heard(name, data) {
    if (name === "resumed") { refreshCount(); return; }
    let n;
    try { n = JSON.parse(data); } catch (_) { return; }
    setCount(Number(bell().dataset.unread || 0) + 1);
    if (open) draw();
    if (document.hidden && "Notification" in window && Notification.permission === "granted") {
      const who = await names();
      // One per notification, however many tabs heard it.
      new Notification("caredesk", { body: words(n, who), tag: `caredesk-notification-${n.id}` });
    }
  }

  document.addEventListener("click", async (event) => {
    if (!bell()) return;
    if (event.target.closest("#bell-button")) { toggle(); return; }
    const item = event.target.closest("#bell-items a[data-notification]");
    if (item) {
      event.preventDefault();
      if (item.dataset.unread) await caredesk.api("POST", "/api/v1/notifications/read", { ids: [item.dataset.notification] });
      window.location.assign(item.href);
      return;
    }
    if (event.target.closest("#bell-read-all")) {
      const answer = await caredesk.api("POST", "/api/v1/notifications/read", { all: true });
      const status = document.getElementById("bell-status");
      if (!answer.ok) { if (status) status.textContent = caredesk.problem(answer); return; }
      // The rows read as read at once; the list is then drawn again from the server.
      for (const li of document.querySelectorAll("#bell-items li.unread")) li.className = "read";
      for (const a of document.querySelectorAll("#bell-items a[data-unread]")) a.dataset.unread = "";
      setCount(0);
      await draw();
      return;
    }
    if (event.target.closest("#bell-allow")) {
      const permission = await Notification.requestPermission();
      const status = document.getElementById("bell-status");
      if (status) status.textContent = permission === "granted" ? "You will be notified when this tab is hidden." : "Browser notifications stay off.";
      event.target.closest("#bell-allow").hidden = true;
      return;
    }
    if (open && !event.target.closest("#bell")) toggle(false);
  });

  document.addEventListener("keydown", (event) => {
    if (open && event.key === "Escape") { toggle(false); document.getElementById("bell-button")?.focus(); }
  });

  document.addEventListener("DOMContentLoaded", () => {
    if (!bell()) return;
    setCount(bell().dataset.unread);
    caredesk.listen(["notification"], heard);
  });
})();
