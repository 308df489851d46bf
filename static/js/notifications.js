// Live notification count: the nav badge follows new notifications and reads in other
// tabs, and screen readers hear about new notifications. Pages work without this.
// Strings through hallwayI18n (static/js/i18n.js), in the page's language.
(function () {
  "use strict";

  function t(msgid, params) {
    return window.hallwayI18n ? window.hallwayI18n.t(msgid, params) : msgid.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return params && name in params ? String(params[name]) : whole;
    });
  }

  function tn(singular, plural, n) {
    return window.hallwayI18n
      ? window.hallwayI18n.tn(singular, plural, n)
      : (n === 1 ? singular : plural).replace("%(num)d", String(n));
  }

  function announcer() {
    let region = document.getElementById("notification-announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "notification-announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.append(region);
    }
    return region;
  }

  function showCount(count) {
    if (typeof count !== "number" || count < 0) {
      return;
    }
    document.querySelectorAll("[data-unread-count]").forEach(function (badge) {
      badge.textContent = String(count);
      badge.hidden = count === 0;
    });
    document.querySelectorAll("[data-notifications-link]").forEach(function (link) {
      link.setAttribute("aria-label", t("Notifications, %(count)s unread", { count: count }));
    });
    document.querySelectorAll("[data-unread-count-text]").forEach(function (text) {
      text.textContent = tn("%(num)d unread", "%(num)d unread", count);
    });
  }

  function listen(socket) {
    socket.on("notification", function (notice) {
      showCount(notice.unread_count);
      // textContent, never innerHTML: the summary contains member-written text.
      announcer().textContent = t("New notification: %(summary)s", { summary: notice.summary });
    });
    socket.on("notifications_read", function (data) {
      showCount(data.unread_count);
    });
  }

  if (window.hallway && window.hallway.socket) {
    listen(window.hallway.socket);
  } else {
    document.addEventListener("hallway:socket-ready", function (event) {
      listen(event.detail);
    }, { once: true });
  }
})();
