// caredesk Community workspace: opens items without reloading (the address keeps the selected
// item and the filters), acts through the JSON API (status, labels, replies, retry/cancel,
// escalation), and redraws the page's regions from the server-rendered page when the shared
// event stream reports a change, keeping what the agent is typing. Customer content only ever
// arrives as server-escaped HTML; this script writes nothing but its own words (textContent).
"use strict";

(() => {
  const root = () => document.getElementById("community");
  const data = () => (root() ? root().dataset : {});
  const dialog = document.getElementById("escalate-dialog");
  const form = document.getElementById("escalate-form");
  const feedback = document.getElementById("escalate-feedback");
  // The page as the server last drew it: a redraw that changes nothing leaves the page alone.
  let drawn = root() ? root().outerHTML : "";
  let opener = null;
  let pending = false;
  // Each fetch of the page takes a turn; only the latest one is drawn.
  let drawing = 0;

  /** Says something in the polite status region (never redrawn). */
  function flash(message, isError) {
    const box = document.getElementById("community-flash");
    if (!box) return;
    box.textContent = message;
    box.classList.toggle("error", Boolean(isError));
  }

  /** A button shows it is working; answers a function that restores it. */
  function busy(button, words) {
    if (!button) return () => {};
    const before = button.textContent;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    if (words) button.textContent = words;
    return () => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      button.textContent = before;
    };
  }

  // --- drawing the page again ---------------------------------------------------------------

  /** What the agent has under their hands, to put back after a redraw of the same item. */
  function remember() {
    const kept = { item: data().itemId || "", values: {}, focus: "", start: null, end: null };
    for (const id of ["reply-text", "label-text", "reply-target", "reply-kind"]) {
      const field = document.getElementById(id);
      if (field) kept.values[id] = field.value;
    }
    const active = document.activeElement;
    if (active && active.id && root() && root().contains(active)) {
      kept.focus = active.id;
      if (typeof active.selectionStart === "number") {
        kept.start = active.selectionStart;
        kept.end = active.selectionEnd;
      }
    } else if (active && active.dataset && active.dataset.itemRow) {
      kept.row = active.dataset.itemRow;
    }
    return kept;
  }

  function restore(kept) {
    if (kept.item && kept.item === (data().itemId || "")) {
      for (const id of ["reply-target", "reply-kind", "reply-text", "label-text"]) {
        const field = document.getElementById(id);
        const value = kept.values[id];
        if (!field || value === undefined) continue;
        if (field.tagName === "SELECT") {
          if (Array.from(field.options).some((o) => o.value === value && !o.disabled)) field.value = value;
          if (id === "reply-target") syncKinds();
        } else {
          field.value = value;
        }
      }
      syncKinds();
    }
    if (kept.focus) {
      const field = document.getElementById(kept.focus);
      if (field) {
        field.focus({ preventScroll: true });
        if (kept.start !== null && typeof field.setSelectionRange === "function") {
          try { field.setSelectionRange(kept.start, kept.end); } catch (_) { /* not a text field */ }
        }
      }
    } else if (kept.row) {
      document.querySelector(`[data-item-row="${CSS.escape(kept.row)}"]`)?.focus({ preventScroll: true });
    }
  }

  /** Puts a freshly drawn page in place of the current one. */
  function swap(page, kept) {
    const fresh = page.getElementById("community");
    const old = root();
    if (!fresh || !old) return false;
    drawn = fresh.outerHTML;
    document.adoptNode(fresh);
    // The list keeps the rows the agent has (`lists.js`); read its scroll once that is done.
    const settle = caredeskList.carry(old, fresh);
    const listScroll = old.querySelector(".community-list")?.scrollTop || 0;
    const thread = old.querySelector(".community-thread");
    const sameItem = (fresh.dataset.itemId || "") === (old.dataset.itemId || "");
    const threadScroll = thread ? thread.scrollTop : 0;
    const atBottom = thread ? thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40 : true;
    old.replaceWith(fresh);
    const list = root().querySelector(".community-list");
    if (list) list.scrollTop = listScroll;
    settle();
    const newThread = root().querySelector(".community-thread");
    if (newThread) {
      if (sameItem && !atBottom) newThread.scrollTop = threadScroll;
      else newThread.scrollTop = newThread.scrollHeight;
    }
    if (kept) restore(kept);
    else syncKinds();
    return true;
  }

  async function fetchPage(href) {
    let response;
    try {
      response = await fetch(href, { credentials: "same-origin", headers: { accept: "text/html" } });
    } catch (_) {
      return { ok: false, status: 0, page: null };
    }
    const text = await response.text();
    return { ok: response.ok, status: response.status, page: new DOMParser().parseFromString(text, "text/html") };
  }

  function dialogOpen() {
    return Boolean(dialog && dialog.open);
  }

  /**
   * Redraws the page from the server (the address as it stands), keeping the agent's text,
   * choices and focus. Waits while the escalation dialog is open.
   */
  async function refresh(force) {
    if (dialogOpen()) { pending = true; return; }
    pending = false;
    const href = window.location.href;
    const turn = ++drawing;
    const answer = await fetchPage(caredeskList.address(href));
    // The agent went elsewhere meanwhile: that page wins.
    if (turn !== drawing || href !== window.location.href) return;
    if (!answer.page) { flash("The page could not be refreshed; check the connection.", true); return; }
    if (dialogOpen()) { pending = true; return; }
    const fresh = answer.page.getElementById("community");
    if (!fresh && answer.page.querySelector("form.login-form")) {
      flash("Your session has ended. Sign in again.", true);
      return;
    }
    if (fresh && (force || fresh.outerHTML !== drawn)) {
      // What the agent typed while the page was fetched is kept too.
      swap(answer.page, remember());
      if (answer.status === 404) flash("This item is no longer on your profiles.", true);
    }
    watchInFlight();
  }

  /** Opens `href` (an item, or the list) in place and records it in the address. */
  async function go(target, push) {
    const href = caredeskList.address(target);
    const turn = ++drawing;
    const answer = await fetchPage(href);
    if (turn !== drawing) return;
    if (!answer.page || !answer.page.getElementById("community")) {
      window.location.assign(href);
      return;
    }
    if (push) history.pushState({ community: true }, "", href);
    flash("");
    swap(answer.page, null);
    // On a phone the page itself scrolls: start the new view at its top.
    window.scrollTo(0, 0);
    watchInFlight(true);
    const selected = document.querySelector(".item.selected [data-item-row]");
    if (selected) {
      selected.scrollIntoView({ block: "nearest" });
      selected.focus({ preventScroll: true });
    }
  }

  window.addEventListener("popstate", () => go(window.location.href, false));

  // A reply still queued or being sent: look again until it settles (the stream tells Care
  // users about deliveries, not the Community inbox), less often the longer it takes.
  let flightTimer = null;
  let flightWait = 3000;
  function watchInFlight(fresh) {
    if (fresh) flightWait = 3000;
    if (flightTimer || !data().inFlight) return;
    flightTimer = setTimeout(() => {
      flightTimer = null;
      flightWait = Math.min(flightWait * 2, 60000);
      refresh(false);
    }, flightWait);
  }

  // --- the composer --------------------------------------------------------------------------

  /** Writes the time of each message the composer may answer in the viewer's zone. */
  function labelTargets() {
    for (const option of document.querySelectorAll("#reply-target option[data-at]")) {
      const date = new Date(option.dataset.at);
      if (Number.isNaN(date.getTime())) continue;
      const words = `${option.dataset.words} · ${caredesk.dateTime(date)} · ${option.dataset.excerpt}`;
      if (option.textContent !== words) option.textContent = words;
    }
  }

  /** Offers only the kinds the network carries for the chosen message. */
  function syncKinds() {
    labelTargets();
    const target = document.getElementById("reply-target");
    const kind = document.getElementById("reply-kind");
    const warning = document.getElementById("hidden-warning");
    if (!target || !kind) return;
    const option = target.selectedOptions[0];
    const allowed = option ? (option.dataset.kinds || "").split(" ").filter(Boolean) : [];
    const direct = Boolean(option && option.dataset.direct === "1");
    for (const choice of kind.options) {
      const ok = allowed.includes(choice.value);
      choice.hidden = !ok;
      choice.disabled = !ok;
      const words = direct ? choice.dataset.dmLabel : choice.dataset.publicLabel;
      if (words && choice.textContent !== words) choice.textContent = words;
    }
    if (!allowed.includes(kind.value) && allowed.length) kind.value = allowed[0];
    if (warning) warning.hidden = !(kind.value === "reply" && option && option.dataset.hidden === "1");
    caredeskComposer.update();
  }

  async function send() {
    const composer = document.getElementById("composer");
    const fieldset = composer ? composer.querySelector("fieldset") : null;
    if (!composer || !fieldset || fieldset.disabled) {
      const reason = document.getElementById("reply-reason");
      if (reason) flash(reason.textContent, true);
      return;
    }
    const text = document.getElementById("reply-text");
    const kind = document.getElementById("reply-kind").value;
    const target = document.getElementById("reply-target").value;
    if (!text.value.trim()) { flash("Write a reply first.", true); text.focus(); return; }
    const done = busy(document.getElementById("reply-send"), "Sending…");
    flash("Sending…");
    const answer = await caredesk.api("POST", `/api/v1/community/items/${data().itemId}/replies`, {
      text: text.value,
      kind,
      in_reply_to: kind === "comment" ? null : target || null,
    });
    done();
    if (!answer.ok) { flash(caredesk.problem(answer), true); return; }
    text.value = "";
    await refresh(true);
    watchInFlight(true);
    flash("Reply queued.");
  }

  // --- the item's actions ----------------------------------------------------------------------

  function labels() {
    return Array.from(document.querySelectorAll("#community-panel [data-remove-label]")).map((b) => b.dataset.removeLabel);
  }

  async function patch(body, success, button) {
    const done = busy(button);
    const answer = await caredesk.api("PATCH", `/api/v1/community/items/${data().itemId}`, body);
    done();
    if (!answer.ok) { flash(caredesk.problem(answer), true); await refresh(true); return false; }
    await refresh(true);
    flash(success);
    return true;
  }

  async function control(button, action) {
    const id = button.dataset.retry || button.dataset.cancel;
    const done = busy(button, action === "retry" ? "Retrying…" : "Cancelling…");
    const answer = await caredesk.api("POST", `/api/v1/messages/${id}/${action}`, {});
    done();
    if (!answer.ok) { flash(caredesk.problem(answer), true); return; }
    await refresh(true);
    flash(action === "retry" ? "The reply is queued again." : "The reply is cancelled; it will not be sent.");
  }

  // --- escalation -------------------------------------------------------------------------------

  function openDialog(button) {
    const id = data().itemId;
    if (!id || !dialog) return;
    if (data().locked === "true") { flash("This item is already held by a Care case.", true); return; }
    opener = button || null;
    form.reset();
    form.elements.item.value = id;
    feedback.textContent = "";
    const profile = data().profile;
    for (const option of form.querySelectorAll("#esc-assignee option[data-profiles]")) {
      option.hidden = !option.dataset.profiles.split(" ").includes(profile);
    }
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
    document.getElementById("esc-note").focus();
  }

  function closeDialog() {
    if (dialog.open) dialog.close();
  }

  dialog?.addEventListener("close", () => {
    if (opener && document.body.contains(opener)) opener.focus();
    else document.querySelector("#community-panel [data-escalate]")?.focus();
    if (pending) setTimeout(() => refresh(false), 0);
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

  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const done = busy(document.getElementById("escalate-submit"), "Escalating…");
    feedback.textContent = "Escalating…";
    const id = form.elements.item.value;
    const body = {
      note: form.elements.note.value,
      priority: form.elements.priority.value,
      fields: fieldValues(),
    };
    if (form.elements.assignee.value) body.assignee_id = form.elements.assignee.value;
    const answer = await caredesk.api("POST", `/api/v1/community/items/${id}/escalate`, body);
    done();
    if (!answer.ok) { feedback.textContent = caredesk.problem(answer); return; }
    opener = null;
    closeDialog();
    await refresh(true);
    const number = answer.body.number;
    flash((answer.body.appended ? "Added to case #" : "Escalated as case #") + number + ".");
    document.querySelector("#community-panel .care-badge")?.focus();
  });

  dialog?.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-dialog]")) closeDialog();
  });

  // --- events ---------------------------------------------------------------------------------

  const plainClick = (event) => event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;

  document.addEventListener("click", (event) => {
    const target = event.target;
    const link = target.closest("[data-item-row], [data-inbox-link]");
    if (link && plainClick(event)) {
      event.preventDefault();
      go(link.href, true);
      return;
    }
    const escalate = target.closest("[data-escalate]");
    if (escalate) { openDialog(escalate); return; }
    const remove = target.closest("[data-remove-label]");
    if (remove) {
      const gone = remove.dataset.removeLabel;
      patch({ labels: labels().filter((l) => l !== gone) }, `Label “${gone}” removed.`, remove);
      return;
    }
    const retry = target.closest("[data-retry]");
    if (retry) { control(retry, "retry"); return; }
    const cancel = target.closest("[data-cancel]");
    if (cancel) control(cancel, "cancel");
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.id === "reply-target" || target.id === "reply-kind") syncKinds();
    else if (target.id === "item-status") {
      const words = target.selectedOptions[0] ? target.selectedOptions[0].textContent : target.value;
      patch({ status: target.value }, `Status set to ${words}.`, target);
    } else if (target.id === "community-sort") {
      target.form?.requestSubmit();
    }
  });

  document.addEventListener("submit", async (event) => {
    const target = event.target;
    if (target.id === "composer") {
      event.preventDefault();
      send();
    } else if (target.id === "label-form") {
      event.preventDefault();
      const input = document.getElementById("label-text");
      const label = input.value.trim();
      if (!label) { flash("Write a label first.", true); input.focus(); return; }
      if (labels().includes(label)) { flash(`The item already has the label “${label}”.`); return; }
      input.value = "";
      const ok = await patch({ labels: labels().concat([label]) }, `Label “${label}” added.`, target.querySelector("button"));
      if (!ok) {
        const again = document.getElementById("label-text");
        if (again) again.value = label;
      }
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.id === "reply-text" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  });

  /** Opens the next (1) or previous (-1) item of the list. */
  function step(delta) {
    const rows = Array.from(document.querySelectorAll("[data-item-row]"));
    if (rows.length === 0) return;
    const current = rows.findIndex((row) => row.getAttribute("aria-current") === "true");
    const next = current < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, current + delta));
    if (next !== current) go(rows[next].href, true);
  }

  document.addEventListener("caredesk:key", (event) => {
    if (dialogOpen()) return;
    switch (event.detail) {
      case "j": step(1); break;
      case "k": step(-1); break;
      case "Enter": {
        // A focused link opens itself; otherwise the first item opens.
        const active = document.activeElement;
        if (active && active.closest && active.closest("a, button")) return;
        if (data().itemId) return;
        const first = document.querySelector("[data-item-row]");
        if (!first) return;
        go(first.href, true);
        break;
      }
      case "r": {
        const text = document.getElementById("reply-text");
        if (!text) return;
        if (text.matches(":disabled")) flash(document.getElementById("reply-reason")?.textContent || "Replies are not possible here.", true);
        else text.focus();
        break;
      }
      case "e": {
        const button = document.querySelector("#community-panel [data-escalate]");
        if (!data().itemId) return;
        if (!button) { flash("This item is already held by a Care case.", true); break; }
        openDialog(button);
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  syncKinds();
  watchInFlight();
  const thread = root()?.querySelector(".community-thread");
  if (thread) thread.scrollTop = thread.scrollHeight;
  caredeskList.init(() => refresh(true));
  caredesk.live(() => refresh(false), 1000, ["item_changed", "case_badge_changed", "case_changed", "case_removed"]);
})();
