// "Your profile": the name and time zone are saved through PATCH /api/v1/me; the times on the
// page follow the new zone at once (the next pages are drawn with it). A refusal is shown in
// words next to the Save button.
"use strict";

(() => {
  const form = document.getElementById("profile-form");
  if (!form) return;
  const feedback = document.getElementById("profile-feedback");
  const zone = document.getElementById("profile-zone");

  // The browser's own zone, named, for the choice that follows it.
  const browserOption = zone.querySelector("[data-browser-zone]");
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (browserOption && browserZone) browserOption.textContent = `The browser's zone (now ${browserZone.replace(/_/g, " ")})`;

  // How a time reads in the zone being chosen, before saving.
  zone.addEventListener("change", () => {
    document.body.dataset.timeZone = zone.value;
    caredesk.showTimes(document);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.textContent = "Saving…";
    const answer = await caredesk.api("PATCH", "/api/v1/me", {
      name: form.elements.name.value,
      time_zone: zone.value || null,
    });
    if (!answer.ok) {
      feedback.textContent = `Not saved: ${caredesk.problem(answer)}`;
      return;
    }
    feedback.textContent = "Saved.";
    document.body.dataset.timeZone = answer.body.time_zone || "";
    const shown = document.querySelector(".topbar .user-name");
    if (shown) shown.textContent = answer.body.name;
    caredesk.showTimes(document);
  });
})();
