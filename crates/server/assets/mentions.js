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

  const picker = caredeskPicker.listbox(BOX, LIST, "saved-picker mention-picker", "Colleagues to mention");

  function close() {
    fragment = null;
    shown = [];
    active = -1;
    picker.reset();
  }

  function matches(query) {
    const q = query.toLowerCase();
    const found = candidates().filter((c) => c.name.toLowerCase().includes(q));
    // Names (or a word of them) that start with what was typed come first.
    const starts = (c) => c.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q));
    return found.filter(starts).concat(found.filter((c) => !starts(c)));
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
    picker.ensure(field);
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

  caredeskPicker.wirePicker(BOX, LIST, {
    follow,
    choose,
    close,
    setActive,
    isOpen: () => fragment !== null,
    count: () => shown.length,
    active: () => active,
  }, true);

  return {
    /** The ids of the people chosen who are still named in `text`. */
    idsIn: (text) => chosen.filter((c) => text.includes(`@${c.name}`)).map((c) => c.id),
    /** Forgets the people chosen (the note was sent). */
    clear: () => { chosen = []; },
  };
})();
