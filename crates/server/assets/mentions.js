// caredesk mentions in an internal note: `@` at the start of the note or after a space opens a
// list of the colleagues who can open the case (drawn by the server into #mention-candidates),
// filtered by what is typed after it. Arrow keys and Enter or Tab (or a click) choose one,
// Escape closes the list. The chosen name replaces the `@text` typed; when the note is added,
// the ids of the people still named in it go with it as `mention_ids` (care.js asks
// `caredeskMentions.idsIn`). The list is a listbox the text box points into with
// aria-activedescendant, so the text box keeps the focus.
"use strict";

const caredeskMentions = (() => {
  const BOX = "note-text";
  const LIST = "mention-picker";
  let fragment = null;
  let shown = [];
  let active = -1;
  // Everyone chosen since the note was last sent: {id, name}.
  let chosen = [];

  const box = () => document.getElementById(BOX);
  const list = () => document.getElementById(LIST);

  function candidates() {
    return Array.from(document.querySelectorAll("#mention-candidates option"))
      .map((o) => ({ id: o.dataset.id, name: o.value }));
  }

  /** The `@text` just before the caret: `@` at the start or after whitespace, no space since. */
  function fragmentAtCaret(field) {
    if (field.selectionStart !== field.selectionEnd) return null;
    const before = field.value.slice(0, field.selectionStart);
    const match = /(^|\s)@([^\s@]*)$/.exec(before);
    if (!match) return null;
    return { start: before.length - match[2].length - 1, end: field.selectionStart, query: match[2] };
  }

  function ensureList(field) {
    if (list()) return;
    const ul = document.createElement("ul");
    ul.id = LIST;
    ul.className = "saved-picker mention-picker";
    ul.setAttribute("role", "listbox");
    ul.setAttribute("aria-label", "Colleagues to mention");
    ul.hidden = true;
    field.insertAdjacentElement("afterend", ul);
    field.setAttribute("aria-controls", LIST);
    field.setAttribute("aria-haspopup", "listbox");
    field.setAttribute("aria-autocomplete", "list");
  }

  function close() {
    fragment = null;
    shown = [];
    active = -1;
    const ul = list();
    if (ul) { ul.hidden = true; ul.replaceChildren(); }
    const field = box();
    if (field) {
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }
  }

  function matches(query) {
    const q = query.toLowerCase();
    const found = candidates().filter((c) => c.name.toLowerCase().includes(q));
    // Names (or a word of them) that start with what was typed come first.
    const starts = (c) => c.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q));
    return found.filter(starts).concat(found.filter((c) => !starts(c)));
  }

  function setActive(index) {
    const ul = list();
    const field = box();
    if (!ul || !field) return;
    active = index;
    ul.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        field.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
    if (index < 0) field.removeAttribute("aria-activedescendant");
  }

  function draw() {
    const ul = list();
    const field = box();
    if (!ul || !field || !fragment) return;
    shown = matches(fragment.query);
    ul.replaceChildren();
    if (shown.length === 0) {
      const li = document.createElement("li");
      li.className = "saved-note";
      li.setAttribute("aria-disabled", "true");
      li.textContent = candidates().length
        ? `Nobody who can open this case is named like “${fragment.query}”.`
        : "Nobody else can open this case.";
      ul.append(li);
    }
    shown.forEach((person, i) => {
      const option = document.createElement("li");
      option.id = `mention-option-${person.id}`;
      option.setAttribute("role", "option");
      option.dataset.index = String(i);
      option.textContent = person.name;
      ul.append(option);
    });
    ul.hidden = false;
    field.setAttribute("aria-expanded", "true");
    setActive(shown.length > 0 ? 0 : -1);
  }

  function follow(field) {
    const found = fragmentAtCaret(field);
    if (!found) { close(); return; }
    ensureList(field);
    fragment = found;
    draw();
  }

  function choose(index) {
    const person = shown[index];
    const field = box();
    if (!person || !field || !fragment) return;
    const at = fragment;
    close();
    field.setRangeText(`@${person.name} `, at.start, at.end, "end");
    field.focus();
    if (!chosen.some((c) => c.id === person.id)) chosen.push(person);
  }

  document.addEventListener("input", (event) => {
    if (event.target.id === BOX) follow(event.target);
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest(`#${LIST} [role=option]`);
    if (option) { choose(Number(option.dataset.index)); return; }
    if (fragment && event.target.id !== BOX) close();
  });

  // Keep the focus in the text box when the list is clicked.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest(`#${LIST}`)) event.preventDefault();
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.id !== BOX || !fragment || !list() || list().hidden) return;
    const count = shown.length;
    switch (event.key) {
      case "ArrowDown":
        if (count) setActive((active + 1) % count);
        break;
      case "ArrowUp":
        if (count) setActive((active - 1 + count) % count);
        break;
      case "Enter":
      case "Tab":
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        if (active < 0) { close(); return; }
        choose(active);
        break;
      case "Escape":
        close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);

  document.addEventListener("focusout", (event) => {
    if (event.target.id === BOX && fragment) setTimeout(() => { if (document.activeElement?.id !== BOX) close(); }, 150);
  });

  return {
    /** The ids of the people chosen who are still named in `text`. */
    idsIn: (text) => chosen.filter((c) => text.includes(`@${c.name}`)).map((c) => c.id),
    /** Forgets the people chosen (the note was sent). */
    clear: () => { chosen = []; },
  };
})();
