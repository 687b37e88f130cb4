// caredesk saved replies in the Care composer: `/` at the start of the reply or after a space
// opens a list of the saved replies the agent may use, filtered by the name typed after it.
// Arrow keys and Enter (or a click) choose one, Escape closes the list. The chosen reply is
// filled for the case by the server (its variables: customer, agent, case, profile) and takes
// the place of the `/name` typed, where the agent may go on editing it. The list is a listbox
// the text box points into with aria-activedescendant, so the text box keeps the focus.
"use strict";

(() => {
  const BOX = "reply-text";
  const LIST = "saved-reply-picker";
  const STATUS = "saved-reply-status";
  // The replies as last read, the fragment being replaced, the options shown, the active one.
  let replies = null;
  let fragment = null;
  let shown = [];
  let active = -1;
  let filling = false;

  const box = () => document.getElementById(BOX);
  const list = () => document.getElementById(LIST);

  /** The `/name` just before the caret: `/` at the start or after whitespace, no space since. */
  function fragmentAtCaret(field) {
    if (field.selectionStart !== field.selectionEnd) return null;
    const before = field.value.slice(0, field.selectionStart);
    const match = /(^|\s)\/([^\s/]*)$/.exec(before);
    if (!match) return null;
    const start = before.length - match[2].length - 1;
    return { start, end: field.selectionStart, query: match[2] };
  }

  function say(text) {
    const out = document.getElementById(STATUS);
    if (out) out.textContent = text;
  }

  const picker = caredeskPicker.listbox(BOX, LIST, "saved-picker", "Saved replies");

  function ensureElements(field) {
    picker.ensure(field);
    if (!document.getElementById(STATUS)) {
      const out = document.createElement("p");
      out.id = STATUS;
      out.className = "saved-status";
      out.setAttribute("role", "status");
      list().insertAdjacentElement("afterend", out);
    }
  }

  function close() {
    fragment = null;
    shown = [];
    active = -1;
    picker.reset();
  }

  function matches(query) {
    const q = query.toLowerCase();
    const found = (replies || []).filter((r) => r.name.toLowerCase().includes(q));
    // Names that start with what was typed come first; the server's order (by name) otherwise.
    return found.filter((r) => r.name.toLowerCase().startsWith(q))
      .concat(found.filter((r) => !r.name.toLowerCase().startsWith(q)));
  }

  function setActive(index) {
    active = index;
    picker.mark(index);
  }

  function draw() {
    const ul = list();
    const field = box();
    if (!ul || !field || !fragment) return;
    shown = matches(fragment.query);
    ul.replaceChildren();
    if (replies === null) {
      ul.append(note("Loading saved replies…"));
    } else if (replies.length === 0) {
      ul.append(note("No saved replies yet. Add them in Settings."));
    } else if (shown.length === 0) {
      ul.append(note(`No saved reply is named like “${fragment.query}”.`));
    }
    shown.forEach((reply, i) => {
      const option = document.createElement("li");
      option.id = `saved-reply-option-${reply.id}`;
      option.setAttribute("role", "option");
      option.dataset.index = String(i);
      const name = document.createElement("span");
      name.className = "saved-name";
      name.textContent = reply.name;
      const text = document.createElement("span");
      text.className = "saved-text";
      text.textContent = reply.text.length > 90 ? `${reply.text.slice(0, 90)}…` : reply.text;
      const whose = document.createElement("span");
      whose.className = "saved-whose";
      whose.textContent = reply.shared ? "shared" : "yours";
      option.append(name, " ", whose, text);
      ul.append(option);
    });
    ul.hidden = false;
    field.setAttribute("aria-expanded", "true");
    setActive(shown.length > 0 ? 0 : -1);
  }

  function note(text) {
    const li = document.createElement("li");
    li.className = "saved-note";
    li.setAttribute("aria-disabled", "true");
    li.textContent = text;
    return li;
  }

  async function load() {
    const answer = await caredesk.api("GET", "/api/v1/saved-replies");
    if (!answer.ok) {
      replies = [];
      say(`Saved replies could not be read: ${caredesk.problem(answer)}`);
    } else {
      replies = answer.body.items;
    }
    draw();
  }

  function follow(field) {
    if (filling) return;
    const found = fragmentAtCaret(field);
    if (!found) { close(); return; }
    ensureElements(field);
    const opening = fragment === null;
    fragment = found;
    say("");
    if (opening) replies = null;
    draw();
    if (opening) load();
  }

  async function choose(index) {
    const reply = shown[index];
    const field = box();
    const caseId = document.getElementById("care")?.dataset.caseId;
    if (!reply || !field || !caseId || !fragment) return;
    const at = fragment;
    close();
    filling = true;
    say(`Filling “${reply.name}”…`);
    const path = `/api/v1/cases/${encodeURIComponent(caseId)}/saved-replies/${encodeURIComponent(reply.id)}/render`;
    const answer = await caredesk.api("POST", path);
    const now = box();
    if (!answer.ok || !now) {
      filling = false;
      say(`The saved reply could not be used: ${caredesk.problem(answer)}`);
      return;
    }
    // The text may have changed while the server answered: replace the fragment only if it is
    // still where it was, else insert at the caret.
    const text = answer.body.text;
    const still = now.value.slice(at.start, at.end) === `/${at.query}`;
    const start = still ? at.start : now.selectionStart;
    const end = still ? at.end : now.selectionEnd;
    now.setRangeText(text, start, end, "end");
    now.focus();
    now.dispatchEvent(new Event("input", { bubbles: true }));
    filling = false;
    say(`Inserted “${reply.name}”.`);
  }

  caredeskPicker.wirePicker(BOX, LIST, {
    follow,
    choose,
    close,
    setActive,
    isOpen: () => fragment !== null,
    count: () => shown.length,
    active: () => active,
  }, false);
})();
