// caredesk's page script: the keyboard-shortcut list, actions through the JSON API with the
// session's CSRF token, and live updates from the server's event stream. Every piece of
// customer content reaches the page through server-rendered, escaped HTML or textContent.
"use strict";

const caredesk = (() => {
  const csrf = () => document.body.dataset.csrf || "";

  /** Calls the JSON API as the signed-in user; answers {ok, status, body}. */
  async function api(method, path, body) {
    const init = { method, headers: { "x-csrf-token": csrf() }, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let json = null;
    try { json = await response.json(); } catch (_) { json = null; }
    return { ok: response.ok, status: response.status, body: json };
  }

  /** Calls `onChange` (at most every `wait` ms) whenever the event stream reports a change. */
  function live(onChange, wait = 1500) {
    if (!window.EventSource) return;
    let timer = null;
    const source = new EventSource("/api/v1/stream");
    source.onmessage = () => {
      if (timer) return;
      timer = setTimeout(() => { timer = null; onChange(); }, wait);
    };
    for (const name of ["change", "case_changed", "case_left_view", "case_removed", "case_badge_changed", "item_changed"]) {
      source.addEventListener(name, source.onmessage);
    }
  }

  function toggleShortcuts(show) {
    const dialog = document.getElementById("shortcuts");
    if (!dialog) return;
    dialog.hidden = show === undefined ? !dialog.hidden : !show;
    if (!dialog.hidden) dialog.querySelector("button")?.focus();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "?") { toggleShortcuts(); event.preventDefault(); }
    if (event.key === "Escape") toggleShortcuts(false);
    // A page that acts on the key cancels the custom event; the key then types nothing.
    const key = new CustomEvent("caredesk:key", { detail: event.key, cancelable: true });
    if (!document.dispatchEvent(key)) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("#shortcuts [data-close]")) toggleShortcuts(false);
  });

  document.addEventListener("DOMContentLoaded", () => {
    if (document.body.dataset.section === "home") live(() => window.location.reload(), 5000);
  });

  return { api, live };
})();
