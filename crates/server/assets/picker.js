// caredesk's picker: a listbox that opens under a text box while the focus stays in the box
// (saved replies after "/", colleagues after "@"), chosen with the arrow keys, Enter or a click.
// It writes only its own words and the options' text (textContent).
"use strict";

const caredeskPicker = (() => {
  /**
   * The listbox `listId` a picker opens under the text box `boxId`, which keeps the focus and
   * points into it with aria-activedescendant: `ensure` makes it on first use, `mark` shows the
   * active option, `reset` empties and hides it.
   */
  function listbox(boxId, listId, className, label) {
    const box = () => document.getElementById(boxId);
    const list = () => document.getElementById(listId);
    return {
      ensure(field) {
        if (!list()) {
          const ul = document.createElement("ul");
          ul.id = listId;
          ul.className = className;
          ul.setAttribute("role", "listbox");
          ul.setAttribute("aria-label", label);
          ul.hidden = true;
          field.insertAdjacentElement("afterend", ul);
        }
        field.setAttribute("aria-controls", listId);
        field.setAttribute("aria-haspopup", "listbox");
        field.setAttribute("aria-autocomplete", "list");
      },
      mark(index) {
        const ul = list();
        const field = box();
        if (!ul || !field) return;
        ul.querySelectorAll("[role=option]").forEach((option, i) => {
          option.setAttribute("aria-selected", i === index ? "true" : "false");
          if (i === index) {
            field.setAttribute("aria-activedescendant", option.id);
            option.scrollIntoView({ block: "nearest" });
          }
        });
        if (index < 0) field.removeAttribute("aria-activedescendant");
      },
      reset() {
        const ul = list();
        if (ul) { ul.hidden = true; ul.replaceChildren(); }
        const field = box();
        if (field) {
          field.setAttribute("aria-expanded", "false");
          field.removeAttribute("aria-activedescendant");
        }
      },
    };
  }

  /**
   * Wires the listbox `listId` that a picker opens under the text box `boxId`: typing follows
   * `picker.follow(box)`, a click on an option chooses it and the list never takes the focus,
   * arrow keys move, Enter (and Tab with `tab`) chooses, Escape or leaving the box closes it.
   * `picker` answers isOpen(), count(), active(), setActive(i), choose(i), close().
   */
  function wirePicker(boxId, listId, picker, tab) {
    const isList = () => { const l = document.getElementById(listId); return l && !l.hidden; };
    document.addEventListener("input", (event) => {
      if (event.target.id === boxId) picker.follow(event.target);
    });
    document.addEventListener("click", (event) => {
      const option = event.target.closest(`#${listId} [role=option]`);
      if (option) { picker.choose(Number(option.dataset.index)); return; }
      if (picker.isOpen() && event.target.id !== boxId) picker.close();
    });
    document.addEventListener("mousedown", (event) => {
      if (event.target.closest(`#${listId}`)) event.preventDefault();
    });
    document.addEventListener("keydown", (event) => {
      if (event.target.id !== boxId || !picker.isOpen() || !isList()) return;
      const count = picker.count();
      const active = picker.active();
      switch (event.key) {
        case "ArrowDown":
          if (count) picker.setActive((active + 1) % count);
          break;
        case "ArrowUp":
          if (count) picker.setActive((active - 1 + count) % count);
          break;
        case "Tab":
        case "Enter":
          if (event.key === "Tab" && !tab) return;
          if (event.ctrlKey || event.metaKey || event.shiftKey) return;
          if (active < 0) { picker.close(); return; }
          picker.choose(active);
          break;
        case "Escape":
          picker.close();
          break;
        default:
          return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
    }, true);
    document.addEventListener("focusout", (event) => {
      if (event.target.id === boxId && picker.isOpen()) {
        setTimeout(() => { if (document.activeElement?.id !== boxId) picker.close(); }, 150);
      }
    });
  }

  return { listbox, wirePicker };
})();
