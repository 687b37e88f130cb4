// The composer's counter and reply window, on the Care case and the Community item alike: the
// characters written against the network's limit for the chosen target and reply kind (the
// limits come from the server, `data-limits` on each target), a warning near and over the
// limit, and the direct-message reply window shown while a direct message is being written.
// The page's own script calls `caredeskComposer.update()` after it changes the composer.
"use strict";

const caredeskComposer = (() => {
  /** How near the limit the counter starts to warn. */
  const NEAR = 0.9;

  /** The limit of the chosen kind for the chosen target, or null when the page names none. */
  function limit() {
    const target = document.getElementById("reply-target");
    const kind = document.getElementById("reply-kind");
    const option = target && target.selectedOptions[0];
    if (!option || !kind) return null;
    for (const pair of (option.dataset.limits || "").split(" ")) {
      const [name, chars] = pair.split(":");
      if (name === kind.value && Number(chars) > 0) return Number(chars);
    }
    return null;
  }

  function update() {
    const text = document.getElementById("reply-text");
    const counter = document.getElementById("reply-count");
    if (!text || !counter) return;
    // The networks count characters (code points), as the server does.
    const used = [...text.value].length;
    const max = limit();
    let words = `${used} ${used === 1 ? "character" : "characters"}`;
    let state = "";
    if (max !== null) {
      words = `${used} / ${max}`;
      if (used > max) {
        state = "over";
        words += ` — ${used - max} over the limit; the network will refuse it`;
      } else if (used >= Math.floor(max * NEAR)) {
        state = "near";
        words += ` — ${max - used} left`;
      }
    }
    if (counter.textContent !== words) counter.textContent = words;
    counter.classList.toggle("counter-near", state === "near");
    counter.classList.toggle("counter-over", state === "over");
    showWindow();
  }

  /** The reply window concerns direct messages: it shows while one is being written. */
  function showWindow() {
    const notice = document.getElementById("reply-window");
    if (!notice) return;
    const target = document.getElementById("reply-target");
    const kind = document.getElementById("reply-kind");
    const option = target && target.selectedOptions[0];
    const direct = Boolean(option && option.dataset.direct === "1" && kind && kind.value === "direct");
    notice.hidden = !direct;
  }

  document.addEventListener("input", (event) => {
    if (event.target.id === "reply-text") update();
  });
  document.addEventListener("change", (event) => {
    if (event.target.id === "reply-target" || event.target.id === "reply-kind") update();
  });
  document.addEventListener("DOMContentLoaded", update);

  return { update };
})();
