// caredesk Care page: acts on the open case through the JSON API (with the version the screen
// shows, so a stale screen is refused and reloaded), keeps the page live by redrawing its
// regions from the server-rendered page when the event stream reports a change (the case list
// keeps its rows through that, `lists.js`), and handles the Care shortcuts. Customer content only ever arrives as server-escaped HTML or via textContent.
"use strict";

(() => {
  const root = () => document.getElementById("care");
  // The regions as the server last drew them.
  let drawn = root() ? root().outerHTML : "";
  const data = () => (root() ? root().dataset : {});

  function flash(message, isError) {
    const box = document.getElementById("care-flash");
    if (!box) return;
    box.textContent = message;
    box.classList.toggle("error", Boolean(isError));
  }

  /** Redraws the Care regions from the server, keeping what the agent was typing. */
  async function refresh(force) {
    const keep = {};
    for (const id of ["reply-text", "note-text"]) {
      const field = document.getElementById(id);
      if (field) keep[id] = field.value;
    }
    const tab = document.querySelector(".tabs [aria-selected=true]");
    const tabId = tab ? tab.id : null;
    const focused = document.activeElement ? document.activeElement.id : "";
    const panelOpen = root() ? root().classList.contains("panel-open") : false;
    const target = document.getElementById("reply-target");
    const kind = document.getElementById("reply-kind");
    const chosen = { target: target ? target.value : "", kind: kind ? kind.value : "" };
    let response;
    try {
      response = await fetch(caredeskList.address(window.location.href), { credentials: "same-origin" });
    } catch (_) {
      flash("The page could not be refreshed; check the connection.", true);
      return;
    }
    if (!response.ok) {
      flash(response.status === 404 ? "This case is no longer visible to you." : "The page could not be refreshed.", true);
      return;
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("care");
    const old = root();
    if (!fresh || !old) return;
    // Nothing changed: leave the page (and the agent's cursor) alone.
    if (!force && fresh.outerHTML === drawn) return;
    drawn = fresh.outerHTML;
    document.adoptNode(fresh);
    const settle = caredeskList.carry(old, fresh);
    old.replaceWith(fresh);
    settle();
    for (const [id, value] of Object.entries(keep)) {
      const field = document.getElementById(id);
      if (field) field.value = value;
    }
    root().classList.toggle("panel-open", panelOpen);
    restoreChoice("reply-target", chosen.target);
    restoreChoice("reply-kind", chosen.kind);
    if (tabId) selectTab(tabId);
    showFile(attachedWords);
    updateComposer();
    if (focused) document.getElementById(focused)?.focus();
  }

  /** Chooses `value` again in the select `id` when it still offers it. */
  function restoreChoice(id, value) {
    const select = document.getElementById(id);
    if (!select || !value) return;
    const option = Array.from(select.options).find((o) => o.value === value && !o.disabled);
    if (option) select.value = value;
  }

  /** Calls the API for the open case; explains refusals in words. Answers true on success. */
  async function act(method, path, body, done) {
    const payload = Object.assign({}, body);
    if (data().version) payload.expected_version = Number(data().version);
    const answer = await caredesk.api(method, path, payload);
    if (answer.ok) {
      if (done) done();
      await refresh();
      flash("Saved.", false);
      return true;
    }
    const error = answer.body && answer.body.error;
    if (error && error.code === "stale_case") {
      await refresh(true);
      flash("This case changed since the screen loaded; it has been reloaded. Please check and try again.", true);
      return false;
    }
    // Redraw what the refusal left as it was (a status select showing a status not taken).
    await refresh(true);
    flash(caredesk.problem(answer), true);
    return false;
  }

  const casePath = (suffix) => `/api/v1/cases/${data().caseId}${suffix || ""}`;

  function assignToMe() {
    if (!data().caseId || !data().me) return;
    act("POST", casePath("/assign"), { assignee_id: data().me });
  }

  function markDone() {
    const button = document.getElementById("mark-done");
    if (!data().caseId || !button || button.disabled) return;
    act("POST", casePath("/status"), { status: "done" }).then((ok) => { if (ok) flash("Marked Done.", false); });
  }

  function reopen() {
    const button = document.getElementById("reopen");
    if (!data().caseId || !button || button.disabled) return;
    button.disabled = true;
    act("POST", casePath("/reopen"), {}).then((ok) => { if (ok) flash("Reopened: the case is Open again.", false); });
  }

  function selectTab(id) {
    for (const tab of document.querySelectorAll(".tabs [role=tab]")) {
      const on = tab.id === id;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      const panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    }
  }

  /** The JSON value of a case-field control (`null` clears the field). */
  function fieldValue(control) {
    const kind = control.dataset.kind;
    if (kind === "checkbox") return control.checked;
    if (control.value.trim() === "") return null;
    if (kind === "number") return Number(control.value);
    if (kind === "multiselect") return control.value.split(",").map((v) => v.trim()).filter((v) => v);
    return control.value;
  }

  /**
   * Offers only the reply kinds the network carries for the chosen message (a direct message
   * is answered by a direct message), and warns before answering hidden content.
   */
  function updateComposer() {
    const kind = document.getElementById("reply-kind");
    const target = document.getElementById("reply-target");
    const warning = document.getElementById("hidden-warning");
    if (!kind || !target) return;
    const option = target.selectedOptions[0];
    const allowed = option ? option.dataset.kinds.split(" ") : [];
    const direct = Boolean(option && option.dataset.direct === "1");
    for (const choice of kind.options) {
      const offered = allowed.includes(choice.value);
      choice.hidden = !offered;
      choice.disabled = !offered;
      choice.textContent = direct ? choice.dataset.dmLabel : choice.dataset.label;
    }
    if (!allowed.includes(kind.value) && allowed.length) kind.value = allowed[0];
    if (warning) warning.hidden = !(kind.value === "reply" && option && option.dataset.hidden === "1");
    caredeskComposer.update();
  }

  // --- the Salesforce tab: search, link, create. Names found in Salesforce arrive as JSON and
  // are shown with textContent only.
  let sfNext = null;

  function sfError(message) {
    const box = document.getElementById("sf-error");
    if (box) box.textContent = message || "";
  }

  async function sfSearch(more) {
    const kind = document.getElementById("sf-kind").value;
    const q = document.getElementById("sf-q").value.trim();
    const list = document.getElementById("sf-results");
    const moreButton = document.getElementById("sf-more");
    if (!q || !list) return;
    sfError("");
    let path = `/api/v1/salesforce/${kind}?q=${encodeURIComponent(q)}`;
    if (more && sfNext) path += `&cursor=${encodeURIComponent(sfNext)}`;
    const answer = await caredesk.api("GET", path);
    if (!answer.ok) {
      sfError(caredesk.problem(answer));
      return;
    }
    if (!more) list.replaceChildren();
    for (const found of answer.body.items) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = found.name;
      const link = document.createElement("button");
      link.type = "button";
      link.textContent = kind === "accounts" ? "Link account" : "Link contact";
      link.dataset.sfLink = kind === "accounts" ? "account_id" : "contact_id";
      link.dataset.sfId = found.id;
      link.setAttribute("aria-label", `${link.textContent} ${found.name}`);
      item.append(name, " ", link);
      list.append(item);
    }
    if (!more && answer.body.items.length === 0) {
      const none = document.createElement("li");
      none.textContent = "Nothing found by that name.";
      list.append(none);
    }
    sfNext = answer.body.next_cursor;
    if (moreButton) moreButton.hidden = !sfNext;
  }

  async function sfCall(path, body, success) {
    sfError("");
    const answer = await caredesk.api("POST", casePath(path), body);
    if (!answer.ok) {
      sfError(caredesk.problem(answer));
      return;
    }
    await refresh(true);
    flash(success, false);
  }

  // --- a file sent with a reply: chosen, pasted or dropped, uploaded at once ----------------

  let attachedId = null;
  let attachedWords = "";
  let uploading = false;

  function showFile(words) {
    attachedWords = words;
    const box = document.getElementById("attached");
    const name = document.getElementById("attached-name");
    if (!box || !name) return;
    name.textContent = words;
    box.hidden = !words;
  }

  function clearFile() {
    attachedId = null;
    const input = document.getElementById("reply-file");
    if (input) input.value = "";
    showFile("");
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
    return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  }

  async function attach(file) {
    if (!file) return;
    attachedId = null;
    uploading = true;
    showFile(`Uploading ${file.name || "the file"}…`);
    const answer = await caredesk.upload(file);
    uploading = false;
    if (!answer.ok) {
      clearFile();
      flash(caredesk.problem(answer), true);
      return;
    }
    attachedId = answer.body.id;
    showFile(`${file.name || "Pasted picture"} · ${size(answer.body.size)}`);
  }

  document.addEventListener("change", (event) => {
    if (event.target.id === "reply-file") attach(event.target.files[0]);
  });
  document.addEventListener("click", (event) => {
    if (event.target.id === "remove-file") clearFile();
  });
  document.addEventListener("paste", (event) => {
    if (event.target.id !== "reply-text") return;
    const file = [...(event.clipboardData?.files || [])][0];
    if (file) { event.preventDefault(); attach(file); }
  });
  document.addEventListener("dragover", (event) => {
    const composer = event.target.closest?.("#composer");
    if (!composer) return;
    event.preventDefault();
    composer.classList.add("dropping");
  });
  document.addEventListener("dragleave", (event) => {
    event.target.closest?.("#composer")?.classList.remove("dropping");
  });
  document.addEventListener("drop", (event) => {
    const composer = event.target.closest?.("#composer");
    if (!composer) return;
    event.preventDefault();
    composer.classList.remove("dropping");
    attach(event.dataTransfer?.files?.[0]);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id === "composer") {
      event.preventDefault();
      const text = document.getElementById("reply-text");
      const kind = document.getElementById("reply-kind").value;
      const targetSelect = document.getElementById("reply-target");
      const target = targetSelect ? targetSelect.value : "";
      const setStatus = event.submitter ? event.submitter.dataset.setStatus : "";
      if (uploading) { flash("The file is still uploading.", true); return; }
      if (!text.value.trim() && !attachedId) { flash("Write a reply or attach a file first.", true); return; }
      const buttons = form.querySelectorAll("button[type=submit]");
      for (const button of buttons) button.disabled = true;
      act("POST", casePath("/replies"), {
        text: text.value,
        kind,
        in_reply_to: target || null,
        set_status: setStatus || null,
        attachment_ids: attachedId ? [attachedId] : [],
      }, () => { text.value = ""; clearFile(); }).then((ok) => {
        for (const button of document.querySelectorAll("#composer button[type=submit]")) button.disabled = false;
        if (ok) flash("Reply queued; its delivery shows under it.", false);
      });
    } else if (form.id === "note-form") {
      event.preventDefault();
      const text = document.getElementById("note-text");
      if (!text.value.trim()) { flash("Write the note first.", true); return; }
      const mentions = typeof caredeskMentions === "undefined" ? [] : caredeskMentions.idsIn(text.value);
      act("POST", casePath("/notes"), { text: text.value, mention_ids: mentions }, () => {
        text.value = "";
        if (typeof caredeskMentions !== "undefined") caredeskMentions.clear();
      }).then((ok) => { if (ok) flash(mentions.length ? "Note added; the people mentioned are notified." : "Note added.", false); });
    } else if (form.id === "sf-search") {
      event.preventDefault();
      sfSearch(false);
    } else if (form.id === "customer-form") {
      event.preventDefault();
      const body = {};
      for (const field of form.querySelectorAll("input[name], textarea[name]")) body[field.name] = field.value;
      caredesk.api("PATCH", `/api/v1/customers/${data().customerId}`, body).then(async (answer) => {
        if (answer.ok) { await refresh(); flash("Customer saved.", false); }
        else flash(caredesk.problem(answer), true);
      });
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (target.closest("#assign-me")) assignToMe();
    else if (target.closest("#mark-done")) markDone();
    else if (target.closest("#reopen")) reopen();
    else if (target.closest("#show-panel")) { root().classList.add("panel-open"); document.getElementById("hide-panel")?.focus(); }
    else if (target.closest("#hide-panel")) { root().classList.remove("panel-open"); document.getElementById("show-panel")?.focus(); }
    else if (target.closest("[data-retry]")) act("POST", `/api/v1/messages/${target.closest("[data-retry]").dataset.retry}/retry`, {});
    else if (target.closest("[data-cancel]")) act("POST", `/api/v1/messages/${target.closest("[data-cancel]").dataset.cancel}/cancel`, {});
    else if (target.closest(".tabs [role=tab]")) selectTab(target.closest("[role=tab]").id);
    else if (target.closest("#sf-more")) sfSearch(true);
    else if (target.closest("[data-sf-link]")) {
      const button = target.closest("[data-sf-link]");
      sfCall("/salesforce/link", { [button.dataset.sfLink]: button.dataset.sfId }, "Linked in Salesforce.");
    } else if (target.closest("#sf-create")) {
      const button = target.closest("#sf-create");
      if (button.disabled) return;
      button.disabled = true;
      sfCall("/salesforce/case", undefined, "Salesforce Case created.").finally(() => { button.disabled = false; });
    }
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    // The order applies at once, like a filter; the address keeps it.
    if (target.id === "filter-sort") { target.form?.requestSubmit(); return; }
    if (!data().caseId) return;
    if (target.id === "assignee") act("POST", casePath("/assign"), { assignee_id: target.value || null });
    else if (target.id === "status") act("POST", casePath("/status"), { status: target.value });
    else if (target.id === "priority") act("PATCH", casePath(), { priority: target.value });
    else if (target.id === "sentiment") act("PATCH", casePath(), { sentiment: target.value });
    else if (target.id === "reply-kind" || target.id === "reply-target") updateComposer();
    else if (target.dataset.fieldId) act("PATCH", casePath(), { fields: { [target.dataset.fieldId]: fieldValue(target) } });
  });

  function step(delta) {
    const rows = Array.from(document.querySelectorAll("[data-case-row]"));
    if (rows.length === 0) return;
    const current = rows.findIndex((row) => row.getAttribute("aria-current") === "true");
    const next = current < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, current + delta));
    if (next !== current) window.location.href = caredeskList.address(rows[next].href);
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.id === "reply-text" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      document.getElementById("composer")?.requestSubmit();
    }
  });

  document.addEventListener("caredesk:key", (event) => {
    switch (event.detail) {
      case "j": step(1); break;
      case "k": step(-1); break;
      case "a": assignToMe(); break;
      case "d": markDone(); break;
      case "r": document.getElementById("reply-text")?.focus(); break;
      default: return;
    }
    event.preventDefault();
  });

  updateComposer();
  caredeskList.init(() => refresh(true));
  caredesk.live(() => refresh(false), 500);
})();
