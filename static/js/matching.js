// People to meet, enhanced: "Not for me" answers through the JSON API and the list is
// fetched again in place (the next person moves up), with the outcome announced. The
// page works without it (the form posts and the page reloads); on any failure the form
// is posted the ordinary way. Messages come translated in the page (data attributes).
(function () {
  "use strict";

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function freshSuggestions() {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) {
      throw new Error("reload failed: " + response.status);
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    return page.querySelector("[data-suggestions]");
  }

  async function dismiss(form) {
    const card = form.closest("[data-suggestion]");
    const body = { user_id: Number(card.dataset.suggestion), note: form.elements.note.value.trim() };
    if (form.elements.reason.value) {
      body.reason = form.elements.reason.value;
    }
    const response = await fetch("/api/v1/matching/dismissals", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error("dismiss refused: " + response.status);
    }
    const fresh = await freshSuggestions();
    const current = document.querySelector("[data-suggestions]");
    if (fresh && current) {
      current.replaceWith(fresh);
    } else if (card) {
      card.remove();
    }
    const status = document.getElementById("suggestion-status");
    if (status) {
      status.textContent = form.dataset.dismissedMessage || "";
    }
    const heading = document.querySelector("main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target.closest ? event.target.closest("form.dismiss-form") : null;
    if (!form || !window.fetch) {
      return;
    }
    event.preventDefault();
    dismiss(form).catch(function () {
      form.submit(); // the page's own way: post and reload
    });
  });
})();
