// Community page: status, labels, replies and escalation through the JSON API; the list is
// redrawn from the server's escaped fragment when the event stream reports a change.
"use strict";

(() => {
  const dialog = document.getElementById("escalate-dialog");
  const form = document.getElementById("escalate-form");
  const feedback = document.getElementById("escalate-feedback");
  let opener = null;

  function message(answer) {
    return (answer.body && answer.body.error && answer.body.error.message) || "The action failed (" + answer.status + ").";
  }

  function say(item, text) {
    const out = item.querySelector(".feedback");
    if (out) out.textContent = text;
  }

  async function redraw() {
    const response = await fetch("/community/list" + window.location.search, { credentials: "same-origin" });
    if (!response.ok) return;
    const html = await response.text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const fresh = doc.getElementById("items");
    const current = document.getElementById("items");
    if (fresh && current) current.replaceWith(fresh);
  }

  async function patch(item, body) {
    const answer = await caredesk.api("PATCH", "/api/v1/community/items/" + item.dataset.item, body);
    if (answer.ok) await redraw(); else say(item, message(answer));
  }

  function labels(item) {
    return Array.from(item.querySelectorAll("[data-remove-label]")).map((b) => b.dataset.removeLabel);
  }

  function openDialog(item, button) {
    opener = button;
    form.reset();
    form.elements.item.value = item.dataset.item;
    feedback.textContent = "";
    const profile = item.dataset.profile;
    for (const option of form.querySelectorAll("#esc-assignee option[data-profiles]")) {
      option.hidden = !option.dataset.profiles.split(" ").includes(profile);
    }
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
    document.getElementById("esc-note").focus();
  }

  function closeDialog() {
    if (dialog.open) dialog.close();
  }

  dialog.addEventListener("close", () => {
    if (opener && document.body.contains(opener)) opener.focus();
    else document.getElementById("items")?.focus();
  });

  function fieldValues() {
    const fields = {};
    for (const box of form.querySelectorAll("[data-field]")) {
      const input = box.querySelector("input, select");
      const kind = box.dataset.kind;
      let value = null;
      if (kind === "checkbox") value = input.checked ? true : null;
      else if (kind === "multiselect") {
        const chosen = Array.from(input.selectedOptions).map((o) => o.value);
        value = chosen.length ? chosen : null;
      } else if (kind === "number") value = input.value === "" ? null : Number(input.value);
      else value = input.value === "" ? null : input.value;
      if (value !== null) fields[box.dataset.field] = value;
    }
    return fields;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = document.getElementById("escalate-submit");
    submit.disabled = true;
    feedback.textContent = "Escalating…";
    const id = form.elements.item.value;
    const body = {
      note: form.elements.note.value,
      priority: form.elements.priority.value,
      fields: fieldValues(),
    };
    if (form.elements.assignee.value) body.assignee_id = form.elements.assignee.value;
    const answer = await caredesk.api("POST", "/api/v1/community/items/" + id + "/escalate", body);
    submit.disabled = false;
    if (!answer.ok) { feedback.textContent = message(answer); return; }
    const number = answer.body.number;
    closeDialog();
    await redraw();
    const item = document.getElementById("item-" + id);
    if (item) {
      say(item, (answer.body.appended ? "Added to case #" : "Escalated as case #") + number);
      item.querySelector(".care-badge")?.focus();
    }
  });

  dialog.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-dialog]")) closeDialog();
  });

  document.addEventListener("click", (event) => {
    const item = event.target.closest("[data-item]");
    if (!item) return;
    const escalate = event.target.closest("[data-escalate]");
    if (escalate) { openDialog(item, escalate); return; }
    const remove = event.target.closest("[data-remove-label]");
    if (remove) patch(item, { labels: labels(item).filter((l) => l !== remove.dataset.removeLabel) });
  });

  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-action=status]");
    if (!select || !select.value) return;
    patch(select.closest("[data-item]"), { status: select.value });
  });

  document.addEventListener("submit", async (event) => {
    const item = event.target.closest("[data-item]");
    if (!item) return;
    event.preventDefault();
    const target = event.target;
    if (target.classList.contains("add-label")) {
      const label = target.elements.label.value.trim();
      if (label) await patch(item, { labels: labels(item).concat([label]) });
    } else if (target.classList.contains("reply-form")) {
      const text = target.elements.text.value;
      if (!text.trim()) { say(item, "Write a reply first."); return; }
      say(item, "Sending…");
      const answer = await caredesk.api("POST", "/api/v1/community/items/" + item.dataset.item + "/replies",
        { text, kind: target.elements.kind.value });
      if (answer.ok) { target.elements.text.value = ""; say(item, "Reply queued."); }
      else say(item, message(answer));
    }
  });

  // The list is not redrawn under an agent who is typing in it or using the dialog; the change
  // waits until they leave the field.
  let pending = false;
  function busy() {
    const active = document.activeElement;
    const typing = active && active.closest && active.closest("#items") && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
    return dialog.open || typing;
  }
  function refresh() {
    if (busy()) { pending = true; return; }
    pending = false;
    redraw();
  }
  document.addEventListener("focusout", () => { if (pending) setTimeout(refresh, 0); });
  dialog.addEventListener("close", () => { if (pending) setTimeout(refresh, 0); });
  // The stream names its events (item_changed, case_badge_changed, …); listen for those that
  // touch the inbox, at most one redraw per second.
  if (window.EventSource) {
    const source = new EventSource("/api/v1/stream");
    let timer = null;
    const soon = () => {
      if (timer) return;
      timer = setTimeout(() => { timer = null; refresh(); }, 1000);
    };
    for (const name of ["item_changed", "case_badge_changed", "case_changed", "case_removed"]) {
      source.addEventListener(name, soon);
    }
  }
})();
