// caredesk's paged lists (the Care cases, the Community items): "Load more" appends the next
// page below the rows shown; a live redraw keeps the rows where they are — a row that changed
// is updated in place, a row that left the view is removed (or, when removing it would move
// the row under the pointer or focus, marked), and rows that arrive among those shown are held
// back behind a polite "3 new cases — show" button and announced, never slipped in under the
// agent's cursor. Rows arriving after the end of a complete list are simply added there.
//
// The markup it reads: a list `[data-list]` (with `data-noun`, `data-page-rows` and
// `data-address`) of rows `[data-row-key]`, a "Load more" link `[data-more]` and a button
// `[data-new-rows]`. Everything it adds comes from server-escaped HTML or is its own words.
"use strict";

const caredeskList = (() => {
  let redraw = null;
  // The keys of the rows held back, and whether the next redraw takes the fresh list whole.
  let held = [];
  let takeAll = false;
  let loading = false;
  // Each row's HTML as the server drew it (the page rewrites times in rows after that).
  const served = new WeakMap();

  const rowsOf = (list) => Array.from(list.querySelectorAll(":scope > [data-row-key]"));
  const keyOf = (row) => row.dataset.rowKey;
  const remember = (list) => { for (const row of rowsOf(list)) served.set(row, row.outerHTML); };
  /** "1 case", "3 new items". */
  const noun = (list, n, adjective) => `${n} ${adjective ? `${adjective} ` : ""}${list.dataset.noun || "row"}${n === 1 ? "" : "s"}`;

  /** Says `words` in a polite live region that no redraw replaces. */
  function say(words) {
    let region = document.getElementById("list-said");
    if (!region) {
      region = document.createElement("p");
      region.id = "list-said";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.append(region);
    }
    region.textContent = "";
    setTimeout(() => { region.textContent = words; }, 50);
  }

  /** `href` asking for as many rows as the list shows, when "Load more" made it longer. */
  function address(href) {
    const list = document.querySelector("[data-list]");
    const url = new URL(href, window.location.href);
    if (!list) return url.href;
    const shown = rowsOf(list).filter((r) => !r.classList.contains("left")).length;
    const page = Number(list.dataset.pageRows || 50);
    if (shown > page) url.searchParams.set("limit", String(Math.min(200, shown)));
    else url.searchParams.delete("limit");
    return url.href;
  }

  /** The element that scrolls `element`: its nearest scrolling ancestor, or the page. */
  function scroller(element) {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (/(auto|scroll)/.test(style.overflowY) && e.scrollHeight > e.clientHeight) return e;
    }
    return document.scrollingElement || document.documentElement;
  }

  /** The row the agent is on: the focused one, else the one under the pointer, else the first in sight. */
  function anchorOf(list, box) {
    const active = document.activeElement;
    const focused = active && list.contains(active) ? active.closest("[data-row-key]") : null;
    if (focused) return focused;
    const hovered = list.querySelector(":scope > [data-row-key]:hover");
    if (hovered) return hovered;
    const top = box === document.scrollingElement ? 0 : box.getBoundingClientRect().top;
    return rowsOf(list).find((r) => r.getBoundingClientRect().bottom > top) || null;
  }

  function paint(list, button) {
    if (!button) return;
    button.hidden = held.length === 0;
    const words = held.length ? `${noun(list, held.length, "new")} — show` : "";
    if (button.textContent !== words) button.textContent = words;
  }

  /**
   * Brings the rows of the list as the agent has it (`old`, in the page) into a freshly drawn
   * page (`fresh`, already adopted) before it replaces the old one; answers what to call once
   * it has: it puts the scroll position and the focus back.
   */
  function carry(old, fresh) {
    const list = old.querySelector("[data-list]");
    const next = fresh.querySelector("[data-list]");
    const done = () => {};
    if (!list || !next) return done;
    if (takeAll || list.dataset.address !== next.dataset.address || rowsOf(list).length === 0) {
      const shown = takeAll ? held.slice() : [];
      takeAll = false;
      held = [];
      remember(next);
      return () => {
        const first = shown.map((k) => document.querySelector(`[data-list] > [data-row-key="${CSS.escape(k)}"] a`)).find(Boolean);
        if (first) { first.scrollIntoView({ block: "nearest" }); first.focus({ preventScroll: true }); }
      };
    }
    const active = document.activeElement;
    let focusTarget = active;
    const box = scroller(list);
    const anchor = anchorOf(list, box);
    const anchorKey = anchor ? keyOf(anchor) : null;
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    const freshRows = rowsOf(next);
    const freshKeys = freshRows.map(keyOf);
    const shownKeys = rowsOf(list).map(keyOf);
    const lastCommon = Math.max(-1, ...shownKeys.map((k) => freshKeys.indexOf(k)));
    const oldLastCommon = Math.max(-1, ...shownKeys.map((k, i) => (freshKeys.includes(k) ? i : -1)));
    remember(next);
    const complete = !old.querySelector("[data-more]");
    const freshComplete = !fresh.querySelector("[data-more]");
    // Rows that changed are redrawn where they stand; rows that left are gone or marked.
    const anchorIndex = anchor ? shownKeys.indexOf(anchorKey) : -1;
    const leaving = [];
    rowsOf(list).forEach((row, i) => {
      const at = freshKeys.indexOf(keyOf(row));
      if (at >= 0) {
        const update = freshRows[at];
        if (served.get(row) !== served.get(update) || row.classList.contains("left")) {
          const inside = active && row.contains(active) ? (active.matches("input") ? "input" : "a") : null;
          row.replaceWith(update);
          if (inside) focusTarget = update.querySelector(inside);
        }
      } else if (freshComplete || i < oldLastCommon) {
        leaving.push({ row, above: anchorIndex >= 0 && i < anchorIndex });
      }
    });
    const aboveHeight = leaving.filter((l) => l.above).reduce((h, l) => h + l.row.offsetHeight, 0);
    const removeAbove = aboveHeight <= box.scrollTop;
    for (const { row, above } of leaving) {
      if (above && !removeAbove) {
        row.classList.add("left");
        row.setAttribute("title", "No longer in this view");
      } else {
        row.remove();
      }
    }
    // Rows new to the list: held back when they fall among the rows shown, added at the end of
    // a complete list, left to "Load more" beyond a partial one.
    const known = new Set(rowsOf(list).map(keyOf));
    const added = [];
    freshRows.forEach((row, i) => {
      const key = keyOf(row);
      if (known.has(key)) return;
      if (i < lastCommon) { if (!held.includes(key)) held.push(key); }
      else if (complete) { list.append(row); added.push(key); }
    });
    held = held.filter((k) => freshKeys.includes(k) && !known.has(k));
    if (anchorKey) {
      const again = list.querySelector(`:scope > [data-row-key="${CSS.escape(anchorKey)}"]`);
      if (again) box.scrollTop += again.getBoundingClientRect().top - before;
    }
    // The list as the agent has it goes into the fresh page, with its "Load more" and banner.
    const heldBefore = Number(list.dataset.held || 0);
    list.dataset.held = String(held.length);
    next.replaceWith(list);
    const oldMore = old.querySelector("[data-more]");
    const freshMore = fresh.querySelector("[data-more]");
    if (oldMore && freshMore) freshMore.replaceWith(oldMore);
    const oldButton = old.querySelector("[data-new-rows]");
    const freshButton = fresh.querySelector("[data-new-rows]");
    if (oldButton && freshButton) freshButton.replaceWith(oldButton);
    paint(list, oldButton || freshButton);
    if (held.length > heldBefore) say(`${noun(list, held.length, "new")}. Press “show” above the list to see them.`);
    else if (added.length) say(`${noun(list, added.length)} added at the end of the list.`);
    const scrolled = box === document.scrollingElement ? null : box.scrollTop;
    return () => {
      if (scrolled !== null) {
        const box2 = scroller(list);
        if (box2 !== document.scrollingElement) box2.scrollTop = scrolled;
      }
      const kept = focusTarget && (list.contains(focusTarget) || focusTarget === oldButton || focusTarget === oldMore);
      if (kept && document.activeElement !== focusTarget) focusTarget.focus({ preventScroll: true });
    };
  }

  /** "Load more": the next page's rows go below the rows shown; the link follows them. */
  async function more(link) {
    const list = document.querySelector("[data-list]");
    if (loading || !list) return;
    loading = true;
    const words = link.textContent;
    link.setAttribute("aria-busy", "true");
    link.textContent = "Loading…";
    let page = null;
    try {
      const response = await fetch(link.href, { credentials: "same-origin", headers: { accept: "text/html" } });
      if (response.ok) page = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (_) {
      page = null;
    }
    loading = false;
    link.removeAttribute("aria-busy");
    link.textContent = words;
    const rows = page ? page.querySelector("[data-list]") : null;
    if (!rows) { say("The next page could not be loaded. Try again."); return; }
    const known = new Set(rowsOf(list).map(keyOf));
    const added = [];
    for (const row of rowsOf(rows)) {
      if (known.has(keyOf(row))) continue;
      const adopted = document.adoptNode(row);
      served.set(adopted, adopted.outerHTML);
      list.append(adopted);
      added.push(adopted);
    }
    const following = page.querySelector("[data-more]");
    const wasFocused = document.activeElement === link;
    if (following) link.href = following.getAttribute("href");
    else link.remove();
    if (wasFocused) {
      const landing = added.length ? added[0] : rowsOf(list).pop();
      landing?.querySelector("a")?.focus({ preventScroll: true });
    }
    say(following ? `${noun(list, added.length)} more loaded.` : `${noun(list, added.length)} more loaded; that is the whole list.`);
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    const link = target.closest && target.closest("[data-more]");
    const plain = event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
    if (link && plain) {
      event.preventDefault();
      more(link);
      return;
    }
    const show = target.closest && target.closest("[data-new-rows]");
    if (show && redraw) {
      takeAll = true;
      redraw();
      return;
    }
    // Opening a row of a longer list: the next page shows as many rows.
    const row = target.closest && target.closest("[data-list] a[data-case-row]");
    if (row) row.href = address(row.href);
  }, true);

  /** Registers the page's redraw, which the "show" button calls. */
  function init(pageRedraw) {
    redraw = pageRedraw;
  }

  // The rows as drawn, before the page writes its times into them.
  for (const list of document.querySelectorAll("[data-list]")) remember(list);

  return { address, carry, init };
})();
