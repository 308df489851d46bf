// Profile and directory forms: small enhancements on pages that work without them.
// - A province/state list that follows the chosen country (fetched from /api/v1/regions/XX).
// - The time zone defaults to the browser's when none is chosen yet.
// - A picture over 2 MB is refused before it is uploaded.
(function () {
  "use strict";
  const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

  function followCountry(container) {
    const country = document.getElementById(container.dataset.regionFor);
    const region = container.querySelector("select");
    if (!country || !region) {
      return;
    }
    country.addEventListener("change", function () {
      const blank = region.options[0] ? region.options[0].cloneNode(true) : new Option("", "");
      region.replaceChildren(blank);
      region.value = "";
      if (!country.value) {
        return;
      }
      fetch("/api/v1/regions/" + encodeURIComponent(country.value), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (regions) {
          regions.forEach(function (item) { region.add(new Option(item.name, item.code)); });
        })
        .catch(function () { /* the server checks the region on submit anyway */ });
    });
  }

  function defaultTimeZone(container) {
    const select = container.querySelector("select");
    if (!select || select.value) {
      return;
    }
    let zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return;
    }
    if (Array.prototype.some.call(select.options, function (option) { return option.value === zone; })) {
      select.value = zone;
    }
  }

  function checkPictureSize(input) {
    input.addEventListener("change", function () {
      const file = input.files && input.files[0];
      let note = document.getElementById(input.id + "-size");
      if (!note) {
        note = document.createElement("small");
        note.id = input.id + "-size";
        note.className = "field-error";
        note.setAttribute("role", "alert");
        input.insertAdjacentElement("afterend", note);
      }
      if (file && file.size > MAX_AVATAR_BYTES) {
        note.textContent = window.hallwayI18n
          ? window.hallwayI18n.t("This file is larger than 2 MB. Please choose a smaller picture.")
          : "This file is larger than 2 MB. Please choose a smaller picture.";
        input.value = "";
        input.setAttribute("aria-invalid", "true");
      } else {
        note.textContent = "";
        input.removeAttribute("aria-invalid");
      }
    });
  }

  document.querySelectorAll("[data-region-for]").forEach(followCountry);
  document.querySelectorAll("[data-time-zone]").forEach(defaultTimeZone);
  document.querySelectorAll("input[type=file][name=avatar]").forEach(checkPictureSize);
})();
