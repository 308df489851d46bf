// Times in the reader's own terms: every <time datetime="...Z" data-local-time> the
// server wrote (hallway.core.i18n.time_tag / time_tag_shared) is rewritten here as
// "3 hr. ago" while recent, else the local date, with the full local date and time as
// its title; in the member's time zone (from the #i18n block) or the browser's.
// Cached HTML holds UTC for everyone; this makes it local. Re-run every minute, and on
// "hallway:content" events for parts added to the page later.
(function () {
  "use strict";
  const i18n = window.hallwayI18n || {};
  const locale = i18n.locale || document.documentElement.lang || "en";
  const RECENT_MS = 7 * 24 * 3600 * 1000; // hallway.core.i18n.RECENT
  const JUST_NOW_MS = 60 * 1000; // hallway.core.i18n.JUST_NOW
  const zoneOptions = {};
  if (i18n.timeZone) {
    zoneOptions.timeZone = i18n.timeZone;
  }

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(locale, Object.assign({}, options, zoneOptions));
    } catch (error) {
      return new Intl.DateTimeFormat(locale, options); // unknown zone: the browser's
    }
  }
  const fullFormat = formatter({ dateStyle: "full", timeStyle: "short" });
  const dateFormat = formatter({ dateStyle: "medium" });
  const dateTimeFormat = formatter({ dateStyle: "medium", timeStyle: "short" });
  const zoneFormat = formatter({ timeZoneName: "short" });
  let relativeFormat = null;
  try {
    relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: "always", style: "short" });
  } catch (error) {
    relativeFormat = null;
  }

  function zoneName(date) {
    const part = zoneFormat.formatToParts(date).find(function (p) { return p.type === "timeZoneName"; });
    return part ? " " + part.value : "";
  }

  function relative(date, now) {
    const seconds = Math.round((date.getTime() - now) / 1000);
    const size = Math.abs(seconds);
    if (size < JUST_NOW_MS / 1000) {
      return window.hallwayI18n ? window.hallwayI18n.t("just now") : "just now";
    }
    const units = [["day", 86400], ["hour", 3600], ["minute", 60]];
    for (const [unit, length] of units) {
      if (size >= length) {
        return relativeFormat.format(Math.round(seconds / length), unit);
      }
    }
    return relativeFormat.format(Math.round(seconds / 60), "minute");
  }

  function rewrite(element, now) {
    const date = new Date(element.getAttribute("datetime"));
    if (isNaN(date.getTime())) {
      return;
    }
    element.title = fullFormat.format(date) + zoneName(date);
    let text;
    if (element.dataset.localTime === "absolute") {
      text = dateTimeFormat.format(date);
    } else if (relativeFormat && Math.abs(date.getTime() - now) < RECENT_MS) {
      text = relative(date, now);
    } else {
      text = dateFormat.format(date);
    }
    if (element.textContent !== text) {
      element.textContent = text;
    }
  }

  function rewriteAll(root) {
    const now = Date.now();
    (root || document).querySelectorAll("time[datetime][data-local-time]").forEach(function (element) {
      rewrite(element, now);
    });
  }

  rewriteAll(document);
  window.setInterval(function () { rewriteAll(document); }, 60 * 1000);
  document.addEventListener("hallway:content", function (event) {
    rewriteAll(event.target instanceof Element ? event.target : document);
  });
  window.hallwayTime = { rewriteAll: rewriteAll };
})();
