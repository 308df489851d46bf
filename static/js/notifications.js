// Live notification count: the nav badge follows new notifications and reads in other
// tabs, and screen readers hear about new notifications. Pages work without this.
(function () {
  "use strict";

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
      link.setAttribute("aria-label", "Notifications, " + count + " unread");
    });
    document.querySelectorAll("[data-unread-count-text]").forEach(function (text) {
      text.textContent = count + " unread";
    });
  }

  function listen(socket) {
    socket.on("notification", function (notice) {
      showCount(notice.unread_count);
      // textContent, never innerHTML: the summary contains member-written text.
      announcer().textContent = "New notification: " + notice.summary;
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
