// caredesk's top-bar search: answers as the agent types (cases, customers and messages for
// Care users, Community items for Community users), the matching words marked, arrow keys to
// move, Enter to open the chosen (or first) result, Escape to close. Results are built with
// textContent and <mark> elements from the API's character offsets: never HTML from customer text.
"use strict";

(() => {
  const GROUPS_CARE = [["cases", "Cases"], ["customers", "Customers"], ["messages", "Messages"]];
  const GROUPS_COMMUNITY = [["community_items", "Community"]];
  const PER_GROUP = 5;
  const WAIT_MS = 200;

  /** Where a hit leads. */
  function target(hit) {
    if (hit.type === "community_items") return `/community/items/${hit.id}`;
    if (hit.case) return `/care/cases/${hit.case.number}`;
    if (hit.type === "customers") return `/care?view=all&q=${encodeURIComponent(hit.customer.name)}`;
    return null;
  }

  /** The snippet with its matching words in <mark>. */
  function marked(hit) {
    const chars = Array.from(hit.snippet);
    const line = document.createElement("span");
    line.className = "snippet";
    let at = 0;
    for (const [start, end] of hit.highlights) {
      if (start < at || end > chars.length) continue;
      line.append(chars.slice(at, start).join(""));
      const mark = document.createElement("mark");
      mark.textContent = chars.slice(start, end).join("");
      line.append(mark);
      at = end;
    }
    line.append(chars.slice(at).join(""));
    return line;
  }

  function label(hit) {
    const parts = [];
    if (hit.case) {
      const status = hit.case.status.replace("_", " ");
      parts.push(`#${hit.case.number} · ${status.charAt(0).toUpperCase()}${status.slice(1)}`);
    }
    if (hit.customer) parts.push(hit.customer.name);
    return parts.join(" · ");
  }

  function setUp(form) {
    const input = form.querySelector("input[type=search]");
    if (!input) return;
    const care = !form.getAttribute("action").startsWith("/community");
    const groups = care ? GROUPS_CARE : GROUPS_COMMUNITY;
    const panel = document.createElement("div");
    panel.id = "search-results";
    panel.className = "search-results";
    panel.setAttribute("role", "listbox");
    panel.hidden = true;
    form.append(panel);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", panel.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-autocomplete", "list");
    input.autocomplete = "off";
    let timer = null;
    let asked = 0;
    let active = -1;

    const options = () => Array.from(panel.querySelectorAll("[role=option]"));
    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(index) {
      const all = options();
      all.forEach((o, i) => o.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      }
    }

    async function run() {
      const q = input.value.trim();
      const mine = ++asked;
      if (Array.from(q).length < 2) return close();
      const answers = await Promise.all(groups.map(([type]) => caredesk.api(
        "GET", `/api/v1/search?type=${type}&limit=${PER_GROUP}&q=${encodeURIComponent(q)}`)));
      if (mine !== asked) return; // a newer query is on its way
      const shown = [];
      let n = 0;
      groups.forEach(([, title], g) => {
        const answer = answers[g];
        if (!answer.ok || !answer.body || answer.body.items.length === 0) return;
        const heading = document.createElement("div");
        heading.className = "search-group";
        heading.setAttribute("role", "presentation");
        heading.textContent = title;
        shown.push(heading);
        for (const hit of answer.body.items) {
          const href = target(hit);
          if (!href) continue;
          const option = document.createElement("a");
          option.href = href;
          option.id = `search-option-${n++}`;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.className = "search-hit";
          option.append(marked(hit));
          const meta = document.createElement("span");
          meta.className = "search-meta";
          meta.textContent = label(hit);
          if (hit.at) {
            const time = document.createElement("time");
            time.setAttribute("datetime", hit.at);
            time.dataset.format = "ago";
            meta.append(" · ", time);
          }
          option.append(meta);
          shown.push(option);
        }
      });
      if (shown.length === 0) {
        const none = document.createElement("div");
        none.className = "search-none";
        none.textContent = answers.some((a) => !a.ok) ? caredesk.problem(answers.find((a) => !a.ok)) : "Nothing found";
        shown.push(none);
      }
      panel.replaceChildren(...shown);
      caredesk.showTimes(panel);
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, WAIT_MS);
    });
    input.addEventListener("keydown", (event) => {
      const all = options();
      if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        choose((active + 1) % all.length);
      } else if (event.key === "ArrowUp" && all.length) {
        event.preventDefault();
        choose((active - 1 + all.length) % all.length);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && !panel.hidden && all.length) {
        event.preventDefault();
        window.location.assign(all[Math.max(active, 0)].href);
      }
    });
    document.addEventListener("click", (event) => {
      if (!form.contains(event.target)) close();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("header form.search").forEach(setUp);
  });
})();
