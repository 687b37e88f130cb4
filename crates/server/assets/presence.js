// caredesk Care page: who else has the open case open, and who of them is typing a reply
// (PRODUCT.md §12 "Collision"). While the case is shown in a visible tab, a heartbeat goes every
// 10 s, and at once when the agent starts or stops typing in the composer (typing: a key in the
// last 4 s); when the page goes away it says it is leaving, so colleagues stop seeing it at once
// (otherwise it lapses 30 s after the last heartbeat). The viewers come from the event stream's
// `presence` events, and are asked for again with each heartbeat in case the stream missed one.
// Names reach the page through textContent only.
"use strict";

(() => {
  const care = document.getElementById("care");
  const caseId = care ? care.dataset.caseId : "";
  if (!caseId) return;
  const path = `/api/v1/cases/${encodeURIComponent(caseId)}/presence`;
  const BEAT_MS = 10000;
  const TYPING_MS = 4000;
  let viewers = [];
  let typing = false;
  let lastKey = 0;
  let timer = null;

  function initials(name) {
    const words = String(name || "?").trim().split(/\s+/).filter(Boolean);
    const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] || "?").slice(0, 2);
    return letters.toUpperCase();
  }

  function typingWords(names) {
    if (names.length === 0) return "";
    if (names.length === 1) return `${names[0]} is typing…`;
    return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} are typing…`;
  }

  /** Draws the viewers (again after the Care script redrew the page's regions). */
  function render() {
    const box = document.getElementById("presence");
    const avatars = document.getElementById("presence-avatars");
    const line = document.getElementById("typing");
    if (avatars) {
      avatars.replaceChildren(...viewers.map((viewer) => {
        const avatar = document.createElement("span");
        avatar.className = viewer.typing ? "avatar is-typing" : "avatar";
        avatar.textContent = initials(viewer.name);
        avatar.title = viewer.typing ? `${viewer.name} is typing…` : `${viewer.name} has this case open`;
        avatar.setAttribute("role", "img");
        avatar.setAttribute("aria-label", avatar.title);
        avatar.dataset.userId = viewer.user_id;
        return avatar;
      }));
    }
    if (box) box.hidden = viewers.length === 0;
    if (line) line.textContent = typingWords(viewers.filter((v) => v.typing).map((v) => v.name));
  }

  function show(list) {
    viewers = Array.isArray(list) ? list : [];
    render();
  }

  async function look() {
    const answer = await caredesk.api("GET", path);
    if (answer.ok && answer.body) show(answer.body.viewers);
  }

  /** Says the agent is here (typing or not); the next one goes in 10 s while the tab is visible. */
  async function beat(andLook) {
    clearTimeout(timer);
    timer = null;
    if (document.visibilityState !== "visible") return;
    timer = setTimeout(() => beat(true), BEAT_MS);
    await caredesk.api("POST", path, { typing });
    if (andLook) look();
  }

  function leave() {
    clearTimeout(timer);
    timer = null;
    try {
      fetch(path, {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": caredesk.csrf() },
        body: JSON.stringify({ typing: false, leaving: true }),
      }).catch(() => {});
    } catch (_) {
      // The presence lapses on its own.
    }
  }

  document.addEventListener("input", (event) => {
    if (event.target.id !== "reply-text") return;
    lastKey = Date.now();
    if (!typing) {
      typing = true;
      beat(false);
    }
  });

  setInterval(() => {
    if (typing && Date.now() - lastKey > TYPING_MS) {
      typing = false;
      beat(false);
    }
  }, 1000);

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") beat(true);
  });
  window.addEventListener("pagehide", leave);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) beat(true);
  });

  caredesk.on("presence", (data) => {
    if (data === null || data === undefined) {
      look();
      return;
    }
    let event;
    try { event = JSON.parse(data); } catch (_) { return; }
    if (event && event.case_id === caseId) show(event.viewers);
  });

  // The Care script swaps the whole #care region when the case changes: draw into the new one.
  new MutationObserver(render).observe(care.parentNode, { childList: true });
  beat(true);
})();
