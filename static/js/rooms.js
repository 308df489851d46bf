// Live meetup rooms: the room page (chat, people present, typing) and an event's lobby
// (how many are in each room, and who). Both pages work without this file: the room's
// composer, "load earlier" and every action are plain forms and links. This adds the
// live layer on the page's one socket (hallway.js):
// - every send carries a client id (crypto.randomUUID); a send whose answer does not
//   come (offline, timeout) stays in the page and in sessionStorage and is sent again on
//   reconnect, once, with the same id: the server answers a resend with the original;
// - every event of the room carries the room's sequence number (seq): each is applied
//   once, in order; after a reconnect the page re-joins with the last number it saw and
//   gets exactly what it missed ("N new messages while you were away");
// - new messages from others are announced politely (a live region), never the history.
// Member-written text goes in with textContent; a message's body_html is the server's
// sanitised Markdown (hallway.core.markdown).
(function () {
  "use strict";

  const i18n = window.hallwayI18n || {
    t: function (text, params) {
      return text.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
        return params && name in params ? String(params[name]) : whole;
      });
    },
    tn: function (one, many, n, params) {
      const values = Object.assign({ num: n }, params || {});
      return (n === 1 ? one : many).replace(/%\((\w+)\)[sd]/g, function (whole, name) {
        return name in values ? String(values[name]) : whole;
      });
    },
  };

  function onSocket(callback) {
    if (window.hallway && window.hallway.socket) {
      callback(window.hallway.socket);
    } else {
      document.addEventListener("hallway:socket-ready", function (event) { callback(event.detail); }, { once: true });
    }
  }

  // Reactions offered and career stage names, in the page's language (views._page_data).
  let pageData = { reactions: [], stages: {} };
  const dataBlock = document.getElementById("room-data");
  if (dataBlock) {
    try {
      pageData = Object.assign(pageData, JSON.parse(dataBlock.textContent));
    } catch (error) {
      // Without it, live messages show no reaction buttons and no stages.
    }
  }

  function stageLabel(code) {
    return (code && pageData.stages[code]) || "";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // --- The lobby: rooms of an event, with who is in each --------------------------------

  const lobby = document.querySelector(".rooms-lobby[data-event-id]");
  if (lobby) {
    const eventId = Number(lobby.dataset.eventId);

    function updateRoomRow(data) {
      const row = lobby.querySelector('[data-room-row="' + (data.room_id || data.id) + '"]');
      if (!row) return;
      const total = data.present_count;
      const count = row.querySelector("[data-room-count]");
      if (count && typeof total === "number") {
        count.textContent = i18n.tn("%(num)d here", "%(num)d here", total);
        count.dataset.roomCount = String(total);
      }
      const people = row.querySelector("[data-room-people]");
      if (people && Array.isArray(data.present)) {
        people.replaceChildren();
        data.present.forEach(function (person) {
          people.append(element("li", "room-person-name", person.name));
        });
        const hidden = Math.max(0, (total || 0) - data.present.length);
        if (hidden) people.append(element("li", "room-person-more", i18n.tn("and %(num)d more", "and %(num)d more", hidden)));
      }
    }

    onSocket(function (socket) {
      function watch() {
        socket.emit("rooms_lobby_join", { event_id: eventId }, function (ack) {
          if (!ack || !ack.ok) return;
          (ack.rooms || []).forEach(updateRoomRow);
        });
      }
      socket.on("connect", watch);
      socket.on("lobby_room", function (data) {
        if (data && data.event_id === eventId) updateRoomRow(data);
      });
      // A room opened, changed or closed: take the list from the page again.
      socket.on("rooms_changed", function (data) {
        if (!data || data.event_id !== eventId) return;
        fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (!html) return;
            const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("rooms-list");
            const list = document.getElementById("rooms-list");
            if (fresh && list) list.replaceWith(fresh);
            else if (fresh) window.location.reload();
          });
      });
      if (socket.connected) watch();
    });
    return;
  }

  // --- The room page ----------------------------------------------------------------------

  const root = document.querySelector(".room-page[data-room-id]");
  // Earlier messages (?before=) are a page of history: nothing live is added to it.
  if (!root || root.dataset.earlierPage) return;
  const roomId = Number(root.dataset.roomId);
  const myId = Number(document.body.dataset.userId || "0");
  const isModerator = root.dataset.moderator === "true";
  // Members this viewer blocked (views._room_page): their messages are folded away, as
  // discussions fold their comments; the broadcasts are the same for everyone.
  const blockedIds = new Set((root.dataset.blockedIds || "").split(",").filter(Boolean).map(Number));
  const historyList = document.getElementById("room-history");
  const announcer = document.getElementById("room-announcer");
  const connection = document.getElementById("room-connection");
  const typingLine = document.getElementById("room-typing");
  const peopleList = document.getElementById("room-people");
  const peopleCount = document.getElementById("room-people-count");
  const composer = document.getElementById("room-composer");
  const textarea = composer ? composer.querySelector("textarea") : null;
  const composerError = document.getElementById("room-composer-error");
  const replyBanner = document.getElementById("room-replying");
  const storageKey = "hallway:room:" + roomId + ":unsent";
  const SEND_TIMEOUT_MS = 10000;
  const RESEND_DELAY_MS = 2000;
  const TYPING_EVERY_MS = 3000;
  const TYPING_SHOWN_MS = 6000;

  let lastSeq = Number(root.dataset.liveSeq || "0");
  let joined = false;
  let joining = false;
  let everJoined = false;
  let away = false; // the connection dropped: the next join counts what was missed
  let stale = false; // missed more than can be replayed: only a reload helps
  let replyTo = null; // {id, name} while replying
  const waiting = new Map(); // seq -> [event, data] that arrived ahead of a gap
  let gapTimer = null;
  const typists = new Map(); // user id -> {name, timer}
  let lastTyping = 0;
  let socketRef = null;

  // --- announcing -----------------------------------------------------------------------

  function announce(message) {
    if (!announcer) return;
    announcer.textContent = "";
    // A fresh text node is read even when the same words come twice.
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  function say(message, clearAfterMs) {
    if (!connection) return;
    connection.textContent = message;
    if (clearAfterMs) {
      window.setTimeout(function () {
        if (connection.textContent === message) connection.textContent = "";
      }, clearAfterMs);
    }
  }

  function showError(message) {
    if (composerError) {
      composerError.textContent = message;
      composerError.hidden = !message;
    }
  }

  // --- unsent messages: in the page and in sessionStorage -------------------------------

  function readUnsent() {
    try {
      const stored = JSON.parse(window.sessionStorage.getItem(storageKey) || "[]");
      return Array.isArray(stored) ? stored.filter(function (each) { return each && each.client_id && each.body; }) : [];
    } catch (error) {
      return [];
    }
  }

  let unsent = readUnsent();
  // One message is out at a time, oldest first: the server numbers them as they arrive, so
  // sending the next only after the last is answered keeps them in the order they were typed.
  let sending = null; // { client_id, attempt } of the message out and not answered yet
  let sendAttempts = 0;

  function saveUnsent() {
    try {
      if (unsent.length) window.sessionStorage.setItem(storageKey, JSON.stringify(unsent));
      else window.sessionStorage.removeItem(storageKey);
    } catch (error) {
      // Private mode or full storage: the page still keeps them.
    }
  }

  function forgetUnsent(clientId) {
    unsent = unsent.filter(function (each) { return each.client_id !== clientId; });
    saveUnsent();
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "c-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // --- rendering messages -----------------------------------------------------------------

  function messageNode(id) {
    return document.getElementById("message-" + id);
  }

  function authorOf(message) {
    return message.author || {};
  }

  function isBlocked(author) {
    return Boolean(author && author.id && blockedIds.has(Number(author.id)));
  }

  // "You blocked this member. Show": the text is there, closed until asked for.
  function foldBlocked(container, wasOpen) {
    const details = element("details", "blocked-post");
    details.append(element("summary", null, i18n.t("You blocked this member. Show")));
    details.append.apply(details, Array.from(container.childNodes));
    details.open = Boolean(wasOpen);
    container.replaceChildren(details);
  }

  // Reactions come as [{kind, emoji, count, user_ids}]: the counts, and mine pressed.
  function renderReactions(node, message) {
    const bar = node.querySelector(".room-reactions");
    if (!bar || !Array.isArray(message.reactions)) return;
    const byKind = {};
    message.reactions.forEach(function (each) { byKind[each.kind] = each; });
    bar.querySelectorAll("button[data-reaction]").forEach(function (button) {
      const found = byKind[button.dataset.reaction];
      const count = found ? found.count : 0;
      const number = button.querySelector(".reaction-count");
      if (number) number.textContent = count ? String(count) : "";
      button.classList.toggle("has-count", count > 0);
      const mine = Boolean(found && (found.user_ids || []).indexOf(myId) >= 0);
      button.setAttribute("aria-pressed", mine ? "true" : "false");
    });
  }

  function fillBody(node, message) {
    const body = node.querySelector(".room-message-body");
    if (!body) return;
    if (message.deleted || message.removed) {
      const text = message.removed ? i18n.t("Removed by an organiser.") : i18n.t("This message was deleted.");
      body.replaceChildren(element("p", "room-message-deleted", text));
      delete node.dataset.body;
      node.classList.add("is-deleted");
      const actions = node.querySelector(".room-message-actions");
      if (actions) actions.remove();
      const reactions = node.querySelector(".room-reactions");
      if (reactions) reactions.remove();
      return;
    }
    const folded = body.querySelector(":scope > details.blocked-post");
    const wasOpen = folded ? folded.open : false;
    if (message.body_html !== undefined) {
      body.innerHTML = message.body_html; // sanitised by the server's Markdown pipeline
    } else {
      body.replaceChildren(element("p", null, message.body || ""));
    }
    const author = message.author || { id: Number(node.dataset.authorId || "0") };
    if (isBlocked(author)) {
      node.classList.add("is-blocked");
      foldBlocked(body, wasOpen);
    }
    if (typeof message.body === "string") node.dataset.body = message.body;
    const edited = node.querySelector(".room-message-edited");
    if (message.edited) {
      if (!edited) {
        const meta = node.querySelector(".room-message-meta");
        if (meta) meta.append(" ", element("span", "room-message-edited", i18n.t("(edited)")));
      }
    }
  }

  function actionButton(label, action, extraClass) {
    const button = element("button", "btn btn-secondary btn-small" + (extraClass ? " " + extraClass : ""), label);
    button.type = "button";
    button.dataset.action = action;
    return button;
  }

  // A message as the server renders it (platform/hallway/rooms/rendering.py (message_items)), built here.
  function buildMessage(message) {
    const author = authorOf(message);
    const node = element("li", "room-message");
    node.id = "message-" + message.id;
    node.tabIndex = -1;
    node.dataset.messageId = String(message.id);
    node.dataset.seq = String(message.message_seq || message.seq || "");
    node.dataset.authorId = String(author.id || "");
    if (author.id === myId) node.classList.add("is-mine");

    const meta = element("p", "room-message-meta");
    meta.append(element("span", "room-message-author", author.name || i18n.t("A former member")));
    if (stageLabel(author.career_stage)) meta.append(" ", element("span", "room-message-stage", stageLabel(author.career_stage)));
    if (message.created_at) {
      const time = element("time", "room-message-time");
      time.dateTime = message.created_at;
      try {
        time.textContent = new Date(message.created_at).toLocaleTimeString(i18n.locale || undefined, { hour: "numeric", minute: "2-digit" });
      } catch (error) {
        time.textContent = message.created_at;
      }
      meta.append(" ", time);
    }
    node.append(meta);

    if (message.reply_to) {
      const quote = element("p", "room-message-reply-to");
      const link = element("a", null, i18n.t("Reply to %(name)s", { name: message.reply_to.author_name || i18n.t("a member") }));
      link.href = "#message-" + message.reply_to.id;
      quote.append(link);
      if (message.reply_to.excerpt) quote.append(": ", element("span", "room-message-excerpt", message.reply_to.excerpt));
      node.append(quote);
    }

    node.append(element("div", "room-message-body"));
    fillBody(node, message);
    if (message.deleted || message.removed) return node;

    const reactions = element("div", "room-reactions");
    reactions.setAttribute("role", "group");
    reactions.setAttribute("aria-label", i18n.t("Reactions"));
    pageData.reactions.forEach(function (kind) {
      const button = element("button", "reaction");
      button.type = "button";
      button.dataset.reaction = kind.value;
      button.dataset.action = "react";
      button.setAttribute("aria-pressed", "false");
      const emoji = element("span", null, kind.emoji);
      emoji.setAttribute("aria-hidden", "true");
      button.append(emoji, element("span", "visually-hidden", kind.label), " ", element("span", "reaction-count", ""));
      reactions.append(button);
    });
    node.append(reactions);
    renderReactions(node, message);

    const actions = element("div", "room-message-actions");
    if (!root.dataset.archived) {
      actions.append(actionButton(i18n.t("Reply"), "reply"));
      if (author.id !== myId) {
        const flag = element("a", "btn btn-secondary btn-small", i18n.t("Flag"));
        flag.href = "/rooms/" + roomId + "/messages/" + message.id + "/flag";
        actions.append(flag);
      }
      if (author.id === myId) {
        actions.append(actionButton(i18n.t("Edit"), "edit"), actionButton(i18n.t("Delete"), "delete"));
      }
    }
    node.append(actions);
    return node;
  }

  function insertInOrder(node, seq) {
    if (!historyList) return;
    const empty = document.getElementById("room-empty");
    if (empty) empty.remove();
    const items = historyList.querySelectorAll(":scope > li.room-message:not(.is-pending)");
    const pendingFirst = historyList.querySelector(":scope > li.is-pending");
    for (let index = items.length - 1; index >= 0; index -= 1) {
      if (Number(items[index].dataset.seq || "0") <= seq) {
        items[index].after(node);
        return;
      }
    }
    if (items.length) historyList.prepend(node);
    else if (pendingFirst) historyList.insertBefore(node, pendingFirst);
    else historyList.append(node);
  }

  // A message arrived (live, replayed or as the answer to a send): shown once, by id.
  function showMessage(message, options) {
    const existing = messageNode(message.id);
    if (existing) return null;
    if (message.client_id) {
      const pending = document.querySelector('li.is-pending[data-client-id="' + CSS.escape(message.client_id) + '"]');
      if (pending) pending.remove();
      forgetUnsent(message.client_id);
    }
    const node = buildMessage(message);
    insertInOrder(node, Number(message.message_seq || message.seq || lastSeq));
    if (options && options.scroll) node.scrollIntoView({ block: "nearest" });
    return node;
  }

  function updateMessage(message) {
    const node = messageNode(message.id);
    if (!node) return;
    fillBody(node, message);
    renderReactions(node, message);
  }

  function showPending(entry) {
    if (!historyList) return null;
    let node = document.querySelector('li.is-pending[data-client-id="' + CSS.escape(entry.client_id) + '"]');
    if (node) return node;
    node = element("li", "room-message is-mine is-pending");
    node.dataset.clientId = entry.client_id;
    node.append(element("p", "room-message-meta", i18n.t("Not sent yet: it goes out when you are back online.")));
    node.append(element("div", "room-message-body", entry.body));
    historyList.append(node);
    const empty = document.getElementById("room-empty");
    if (empty) empty.remove();
    return node;
  }

  function failPending(clientId, message) {
    const node = document.querySelector('li.is-pending[data-client-id="' + CSS.escape(clientId) + '"]');
    if (!node) return;
    node.classList.add("is-failed");
    const meta = node.querySelector(".room-message-meta");
    if (meta) meta.textContent = i18n.t("Not sent: %(reason)s", { reason: message });
  }

  // --- people present ----------------------------------------------------------------------

  function renderPeople(people) {
    if (!peopleList) return;
    peopleList.replaceChildren();
    people.forEach(function (person) {
      const item = element("li", "room-person");
      item.dataset.userId = String(person.id);
      const name = element("a", "room-person-name", person.name);
      name.href = "/members/" + encodeURIComponent(person.handle);
      item.append(name);
      if (stageLabel(person.career_stage)) item.append(" ", element("span", "room-person-stage", stageLabel(person.career_stage)));
      peopleList.append(item);
    });
  }

  function renderPresence(data) {
    if (!Array.isArray(data.people)) return;
    renderPeople(data.people);
    if (peopleCount) peopleCount.textContent = String(typeof data.count === "number" ? data.count : data.people.length);
    const unnamed = document.getElementById("room-people-unnamed");
    if (unnamed) {
      const count = data.unnamed_count || 0;
      unnamed.textContent = i18n.tn("and %(num)d more", "and %(num)d more", count);
      unnamed.hidden = !count;
    }
  }

  // The realtime package's own presence event names ids only (someone's tab closed).
  function keepPresent(userIds) {
    if (!peopleList) return;
    const present = new Set(userIds.map(Number));
    peopleList.querySelectorAll("li.room-person").forEach(function (item) {
      if (!present.has(Number(item.dataset.userId))) item.remove();
    });
    // Everyone present counts, named or not (the list names at most the first 100).
    if (peopleCount) peopleCount.textContent = String(present.size);
  }

  // --- typing ------------------------------------------------------------------------------

  function renderTyping() {
    if (!typingLine) return;
    const names = Array.from(typists.values()).map(function (each) { return each.name; });
    if (!names.length) typingLine.textContent = "";
    else if (names.length === 1) typingLine.textContent = i18n.t("%(name)s is typing…", { name: names[0] });
    else typingLine.textContent = i18n.t("%(names)s are typing…", { names: names.join(", ") });
  }

  function onTyping(data) {
    if (!data || data.room_id !== roomId || data.user_id === myId || blockedIds.has(Number(data.user_id))) return;
    const previous = typists.get(data.user_id);
    if (previous) window.clearTimeout(previous.timer);
    const timer = window.setTimeout(function () {
      typists.delete(data.user_id);
      renderTyping();
    }, TYPING_SHOWN_MS);
    typists.set(data.user_id, { name: data.name || i18n.t("A member"), timer: timer });
    renderTyping();
  }

  function stopTyping(userId) {
    const previous = typists.get(userId);
    if (!previous) return;
    window.clearTimeout(previous.timer);
    typists.delete(userId);
    renderTyping();
  }

  // --- numbered events ---------------------------------------------------------------------

  function excerptOf(message) {
    const text = (message.body || "").replace(/\s+/g, " ").trim();
    return text.length > 140 ? text.slice(0, 139) + "…" : text;
  }

  let missedCount = 0; // new messages applied while catching up

  const handlers = {
    room_message: function (data, live) {
      const node = showMessage(data, { scroll: live });
      const author = authorOf(data);
      stopTyping(author.id);
      // Nothing read out, nothing counted, for a member this viewer blocked.
      if (!node || author.id === myId || isBlocked(author)) return;
      if (live) {
        announce(i18n.t("%(name)s: %(text)s", { name: author.name || i18n.t("A member"), text: excerptOf(data) }));
      } else {
        missedCount += 1;
      }
    },
    // Edited, deleted, removed, restored, reactions, pinned, unpinned, promoted: the
    // message as it is now, found by id (its own number is message_seq).
    room_message_updated: function (data) {
      updateMessage(data);
      if (data.change === "deleted" || data.change === "removed") {
        const pinned = document.getElementById("room-pinned");
        if (pinned && !pinned.hidden && pinned.dataset.messageId === String(data.id)) showPinned(null);
      }
    },
    room_updated: function (data) { applyRoomState(data); },
    room_member_muted: function (data) {
      if (data.user_id !== myId) return;
      const notice = document.getElementById("room-muted");
      if (notice) notice.hidden = !data.muted;
      showError(data.muted ? i18n.t("An organiser muted you in this room: you can still read, but not send.") : "");
    },
    room_member_removed: function (data) {
      if (data.user_id === myId) removedFromRoom();
      else {
        const item = peopleList && peopleList.querySelector('li.room-person[data-user-id="' + data.user_id + '"]');
        if (item) item.remove();
      }
    },
  };

  function removedFromRoom() {
    stale = true;
    joined = false;
    if (composer) composer.hidden = true;
    say(i18n.t("An organiser removed you from this room."));
  }

  function showPinned(message) {
    const box = document.getElementById("room-pinned");
    if (!box) return;
    const body = box.querySelector(".room-pinned-body");
    if (!message) {
      box.hidden = true;
      delete box.dataset.messageId;
      if (body) body.replaceChildren();
      return;
    }
    box.dataset.messageId = String(message.id);
    if (body) {
      body.replaceChildren(element("p", "room-pinned-author", authorOf(message).name || ""));
      const text = element("div", "room-pinned-text");
      if (message.body_html !== undefined) text.innerHTML = message.body_html;
      else text.textContent = message.body || "";
      if (isBlocked(authorOf(message))) foldBlocked(text, false);
      body.append(text);
      const go = element("a", null, i18n.t("Go to the message"));
      go.href = "#message-" + message.id;
      const line = element("p");
      line.append(go);
      body.append(line);
    }
    box.hidden = false;
  }

  function applyRoomState(room) {
    if ("pinned" in room) showPinned(room.pinned);
    if (room.archived) {
      root.dataset.archived = "true";
      if (composer) composer.hidden = true;
      const notice = document.getElementById("room-archived-notice");
      if (notice) notice.hidden = false;
    }
    const slow = document.getElementById("room-slow-mode");
    if (slow && typeof room.slow_mode_seconds === "number") {
      slow.textContent = room.slow_mode_seconds
        ? i18n.tn("Slow mode: one message every %(num)d second.", "Slow mode: one message every %(num)d seconds.", room.slow_mode_seconds)
        : "";
      slow.hidden = !room.slow_mode_seconds;
    }
  }

  function apply(event, data, live) {
    if (!data || typeof data.seq !== "number" || data.seq !== lastSeq + 1) return false;
    lastSeq = data.seq;
    root.dataset.liveSeq = String(lastSeq);
    const handler = handlers[event];
    if (handler) handler(data, live);
    return true;
  }

  function drain(live) {
    let applied = 0;
    while (waiting.has(lastSeq + 1)) {
      const next = waiting.get(lastSeq + 1);
      waiting.delete(lastSeq + 1);
      if (apply(next[0], next[1], live)) applied += 1;
    }
    waiting.forEach(function (_, seq) { if (seq <= lastSeq) waiting.delete(seq); });
    return applied;
  }

  function receive(event, data) {
    if (stale || !data || data.room_id !== roomId || typeof data.seq !== "number") return;
    if (data.seq <= lastSeq) return; // seen already (a replay and a live copy)
    if (joining || !apply(event, data, true)) {
      waiting.set(data.seq, [event, data]);
      fillGapSoon();
      return;
    }
    drain(true);
  }

  function fillGapSoon() {
    // Two messages committed at once may arrive out of order: wait a moment for the
    // missing number, then ask for it by re-joining.
    if (gapTimer || !waiting.size) return;
    gapTimer = window.setTimeout(function () {
      gapTimer = null;
      if (waiting.size && !joining && socketRef && socketRef.connected) join();
    }, 1000);
  }

  // --- joining, sending ----------------------------------------------------------------------

  function join() {
    const socket = socketRef;
    if (stale || !socket) return;
    joining = true;
    missedCount = 0;
    socket.emit("room_join", { room_id: roomId, last_seq: lastSeq }, function (ack) {
      joining = false;
      if (!ack || !ack.ok) {
        joined = false;
        say((ack && ack.error) || i18n.t("Live updates are off for this room."));

        return;
      }
      joined = true;
      root.dataset.live = "joined";
      if (ack.reload || (typeof ack.seq === "number" && ack.seq < lastSeq)) {
        stale = true;
        waiting.clear();
        say(i18n.t("A lot happened while you were away: reload the page to see it."));
        return;
      }
      (ack.events || []).forEach(function (each) {
        if (!apply(each.event, each.data, false) && each.data && each.data.seq > lastSeq) {
          waiting.set(each.data.seq, [each.event, each.data]);
        }
      });
      drain(false);
      renderPresence(ack);
      if (ack.room) applyRoomState(ack.room);
      if (away || everJoined) {
        const count = missedCount;
        const text = count
          ? i18n.tn("%(num)d new message while you were away.", "%(num)d new messages while you were away.", count)
          : i18n.t("Back online.");
        say(text, 15000); // #room-connection is a status region: read out once
      }
      away = false;
      everJoined = true;
      fillGapSoon();
      sendNext();
    });
  }

  function sendNext() {
    const socket = socketRef;
    const entry = unsent[0];
    if (!entry || sending || !socket || !socket.connected || !joined) return;
    sendAttempts += 1;
    const attempt = sendAttempts;
    sending = { client_id: entry.client_id, attempt: attempt };
    const payload = { room_id: roomId, client_id: entry.client_id, body: entry.body };
    if (entry.reply_to_id) payload.reply_to_id = entry.reply_to_id;
    socket.timeout(SEND_TIMEOUT_MS).emit("room_send", payload, function (error, ack) {
      if (!sending || sending.attempt !== attempt) return; // the connection went meanwhile
      sending = null;
      if (error) {
        // No answer: sent again with the same id, which the server keeps only once.
        window.setTimeout(sendNext, RESEND_DELAY_MS);
        return;
      }
      forgetUnsent(entry.client_id);
      if (ack && ack.ok && ack.message) {
        showMessage(Object.assign({ client_id: entry.client_id }, ack.message), { scroll: true });
      } else {
        // Refused (too long, muted, slow mode...): said by the room_error event too.
        const reason = (ack && ack.error) || i18n.t("That did not work. Please try again.");
        failPending(entry.client_id, reason);
        showError(reason);
        if (textarea && !textarea.value) textarea.value = entry.body;
      }
      sendNext();
    });
  }

  function queue(body) {
    const entry = { client_id: newClientId(), body: body };
    if (replyTo) entry.reply_to_id = replyTo.id;
    unsent.push(entry);
    saveUnsent();
    showPending(entry);
    sendNext();
  }

  function setReply(target) {
    replyTo = target;
    const field = composer && composer.querySelector('input[name="reply_to_id"]');
    if (field) field.value = target ? String(target.id) : "";
    if (!replyBanner) return;
    if (!target) {
      replyBanner.hidden = true;
      return;
    }
    replyBanner.querySelector(".room-replying-text").textContent = i18n.t("Replying to %(name)s", { name: target.name });
    replyBanner.hidden = false;
  }

  // --- message actions (delegated: server-rendered and live messages alike) ------------------

  function ask(event, payload, onDone) {
    if (!socketRef || !socketRef.connected) {
      showError(i18n.t("You are offline: try again when you are back online."));
      return;
    }
    socketRef.emit(event, payload, function (ack) {
      if (!ack || !ack.ok) {
        showError((ack && ack.error) || i18n.t("That did not work. Please try again."));
        return;
      }
      showError("");
      if (onDone) onDone(ack);
    });
  }

  function startEdit(node) {
    if (node.querySelector("form.room-edit-form")) return;
    const body = node.querySelector(".room-message-body");
    const form = element("form", "room-edit-form");
    const label = element("label", "visually-hidden", i18n.t("Edit your message"));
    const box = element("textarea");
    box.id = "edit-" + node.dataset.messageId;
    label.htmlFor = box.id;
    box.rows = 3;
    box.maxLength = 4000;
    box.value = node.dataset.body || (body ? body.textContent.trim() : "");
    const save = element("button", "btn btn-small", i18n.t("Save"));
    save.type = "submit";
    const cancel = actionButton(i18n.t("Cancel"), "cancel-edit");
    form.append(label, box, save, cancel);
    body.after(form);
    box.focus();
    function close() {
      form.remove();
      const edit = node.querySelector('[data-action="edit"]');
      if (edit) edit.focus();
    }
    cancel.addEventListener("click", close);
    form.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      ask("room_edit", { message_id: Number(node.dataset.messageId), body: box.value }, function (ack) {
        if (ack.message) {
          node.dataset.body = ack.message.body || box.value;
          updateMessage(ack.message);
        }
        close();
      });
    });
  }

  if (historyList) {
    historyList.addEventListener("click", function (event) {
      const target = event.target instanceof Element ? event.target.closest("[data-action]") : null;
      if (!target) return;
      const node = target.closest("li.room-message");
      if (!node || !node.dataset.messageId) return;
      const messageId = Number(node.dataset.messageId);
      const action = target.dataset.action;
      if (action === "reply") {
        event.preventDefault();
        const author = node.querySelector(".room-message-author");
        setReply({ id: messageId, name: author ? author.textContent : "" });
        if (textarea) textarea.focus();
      } else if (action === "edit") {
        event.preventDefault();
        startEdit(node);
      } else if (action === "delete") {
        event.preventDefault();
        if (window.confirm(i18n.t("Delete this message?"))) ask("room_delete", { message_id: messageId });
      } else if (action === "react") {
        event.preventDefault();
        ask("room_react", { message_id: messageId, kind: target.dataset.reaction }, function (ack) {
          if (ack.message) renderReactions(node, ack.message);
        });
      }
    });
  }

  if (replyBanner) {
    const cancelReply = replyBanner.querySelector("a, button");
    if (cancelReply) {
      cancelReply.addEventListener("click", function (event) {
        event.preventDefault();
        setReply(null);
        if (textarea) textarea.focus();
      });
    }
  }

  // "Load earlier": a plain link to the page before; here it loads in place.
  const earlier = document.getElementById("room-load-earlier");
  if (earlier && historyList) {
    earlier.addEventListener("click", function (event) {
      if (!socketRef || !socketRef.connected || !joined) return; // the link still works
      event.preventDefault();
      const first = historyList.querySelector(":scope > li.room-message[data-seq]");
      const beforeSeq = first ? Number(first.dataset.seq) : lastSeq + 1;
      socketRef.emit("room_history", { room_id: roomId, before_seq: beforeSeq }, function (ack) {
        if (!ack || !ack.ok) {
          window.location.assign(earlier.href);
          return;
        }
        const messages = ack.messages || [];
        let firstNew = null;
        messages.slice().reverse().forEach(function (message) {
          if (messageNode(message.id)) return;
          const node = buildMessage(message);
          historyList.prepend(node);
          firstNew = node;
        });
        if (!ack.has_earlier) earlier.closest(".room-earlier").hidden = true;
        if (firstNew) firstNew.focus();
      });
    });
  }

  // --- the composer ----------------------------------------------------------------------------

  if (composer && textarea) {
    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      const body = textarea.value.trim();
      if (!body) {
        showError(i18n.t("Write a message first."));
        textarea.focus();
        return;
      }
      if (body.length > 4000) {
        showError(i18n.t("A message can be at most 4,000 characters."));
        return;
      }
      showError("");
      queue(body);
      textarea.value = "";
      setReply(null);
      textarea.focus();
    });
    // Enter sends, Shift+Enter makes a new line (the button sends too).
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      } else if (event.key === "Escape" && replyTo) {
        setReply(null);
      }
    });
    textarea.addEventListener("input", function () {
      const now = Date.now();
      if (!socketRef || !joined || now - lastTyping < TYPING_EVERY_MS || !textarea.value.trim()) return;
      lastTyping = now;
      socketRef.emit("room_typing", { room_id: roomId });
    });
  }

  // Unsent messages from before a reload are shown as pending, then sent after the join.
  unsent.forEach(showPending);

  // --- the socket ----------------------------------------------------------------------------

  onSocket(function (socket) {
    socketRef = socket;
    socket.on("connect", join);
    socket.on("disconnect", function (reason) {
      joined = false;
      root.dataset.live = "paused";
      joining = false;
      sending = null;
      if (reason === "io client disconnect") return;
      away = true;
      say(i18n.t("Offline — reconnecting… Messages you write are sent when you are back."));
    });
    Object.keys(handlers).forEach(function (name) {
      socket.on(name, function (data) { receive(name, data); });
    });
    socket.on("room_presence", function (data) {
      if (data && data.room_id === roomId) renderPresence(data);
    });
    // Also told on the member's own topic (not numbered): a removal reaches every tab.
    socket.on("room_member_removed", function (data) {
      if (data && data.room_id === roomId && data.user_id === myId && typeof data.seq !== "number") removedFromRoom();
    });
    socket.on("presence", function (data) {
      if (data && data.topic === "room:" + roomId && Array.isArray(data.user_ids)) keepPresent(data.user_ids);
    });
    socket.on("room_typing", onTyping);
    socket.on("room_error", function (data) {
      if (!data || (data.room_id !== undefined && data.room_id !== roomId)) return;
      showError(data.error || "");
      if (data.client_id) failPending(data.client_id, data.error || "");
    });
    if (socket.connected) join();
  });

  window.addEventListener("pagehide", function () {
    if (socketRef && socketRef.connected && joined) socketRef.emit("room_leave", { room_id: roomId });
  });
})();
