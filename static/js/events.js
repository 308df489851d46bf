// Events, live: an organiser's announcement reaches every member going on any page they
// have open, and a member promoted from the waitlist sees it at once. Loaded on every
// logged-in page (base.html); the pages work without it. Strings through hallwayI18n.
(function () {
  "use strict";

  function t(msgid, params) {
    return window.hallwayI18n ? window.hallwayI18n.t(msgid, params) : msgid.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return params && name in params ? String(params[name]) : whole;
    });
  }

  // One polite live region at the top of the page for the notices below.
  function noticeArea() {
    let area = document.getElementById("event-live-notices");
    if (!area) {
      area = document.createElement("div");
      area.id = "event-live-notices";
      area.className = "flashes";
      area.setAttribute("aria-live", "polite");
      const main = document.getElementById("main");
      if (!main) {
        return null;
      }
      main.prepend(area);
    }
    return area;
  }

  // textContent only: titles and excerpts are member-written.
  function showNotice(kind, text, href, linkText) {
    const area = noticeArea();
    if (!area) {
      return;
    }
    const notice = document.createElement("p");
    notice.className = "flash flash-info event-live-notice";
    notice.dataset.eventNotice = kind;
    notice.append(text + " ");
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = linkText;
      notice.append(link);
    }
    area.append(notice);
  }

  function currentEventPage(eventId) {
    const page = document.querySelector(".event-page[data-event-id]");
    return page && Number(page.dataset.eventId) === Number(eventId) ? page : null;
  }

  function onAnnouncement(data) {
    showNotice(
      "announcement",
      t("Announcement from %(event)s: %(title)s", { event: data.event_title, title: data.title }),
      data.url + "#announcements",
      t("Read it")
    );
    const page = currentEventPage(data.event_id);
    const list = page && page.querySelector("ul[data-announcements]");
    if (list) {
      const item = document.createElement("li");
      item.className = "list-row";
      const main = document.createElement("div");
      main.className = "list-row-main";
      const heading = document.createElement("h3");
      heading.className = "list-row-title";
      heading.textContent = data.title;
      main.append(heading);
      if (data.excerpt) {
        const body = document.createElement("p");
        body.textContent = data.excerpt;
        main.append(body);
      }
      item.append(main);
      list.prepend(item);
    }
  }

  function onRsvp(data) {
    if (data.status !== "going") {
      return;
    }
    const page = currentEventPage(data.event_id);
    showNotice(
      "promoted",
      t("A place opened up: you are going!"),
      page ? null : "/events/" + encodeURIComponent(data.event_id),
      t("See the event")
    );
    if (page) {
      const status = page.querySelector("[data-rsvp-status]");
      if (status) {
        status.textContent = "";
        const badge = document.createElement("span");
        badge.className = "ui-badge ui-badge-success";
        badge.textContent = t("You are going");
        const line = document.createElement("p");
        line.append(badge);
        status.append(line);
      }
      page.querySelectorAll("[data-leave-waitlist]").forEach(function (form) { form.remove(); });
    }
  }

  function listen(socket) {
    socket.on("event_announcement", onAnnouncement);
    socket.on("event_rsvp", onRsvp);
  }

  if (window.hallway && window.hallway.socket) {
    listen(window.hallway.socket);
  } else {
    document.addEventListener("hallway:socket-ready", function (event) {
      listen(event.detail);
    }, { once: true });
  }

  // The calendar feed page: copy the secret address.
  document.querySelectorAll("[data-copy-button]").forEach(function (button) {
    const source = document.querySelector("[data-copy-source]");
    const status = document.querySelector("[data-copy-status]");
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) {
          status.textContent = t("Copied");
        }
        button.textContent = t("Copied");
      }, function () {
        source.select();
      });
    });
  });
})();
