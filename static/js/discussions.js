// Discussions, live: replies, edits, deletions and reactions appear without a reload.
// The page works without this file (plain forms and links); this only enhances it.
// The server sends the same HTML fragments the page is made of, so live and reloaded
// pages look the same.
(function () {
  "use strict";

  const root = document.querySelector(".discussion[data-thread-id]");
  if (!root) {
    return;
  }
  const threadId = Number(root.dataset.threadId);
  const depthLimit = Number(root.dataset.depthLimit || 6);
  const isThreadView = root.dataset.view === "thread";
  const isModerator = root.dataset.moderator === "true";
  const myId = document.body.dataset.userId || "";
  const blockedIds = new Set((root.dataset.blockedIds || "").split(",").filter(Boolean));
  const csrfToken = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const liveStatus = document.getElementById("live-status");
  const tree = document.getElementById("comment-tree");
  const i18n = window.hallwayI18n || {
    t: function (text) { return text; },
    tn: function (one, many, n) { return (n === 1 ? one : many).replace("%(num)d", String(n)); },
  };

  // --- small helpers -----------------------------------------------------------------

  function announce(message) {
    if (!liveStatus) return;
    liveStatus.textContent = "";
    // A fresh text node makes screen readers read the message even when it repeats.
    window.setTimeout(function () { liveStatus.textContent = message; }, 50);
  }

  function showNotice(message) {
    const notice = document.getElementById("live-notice");
    if (!notice) return;
    notice.querySelector(".live-notice-text").textContent = message;
    notice.querySelector(".live-notice-reload").setAttribute("href", window.location.pathname + window.location.search);
    notice.hidden = false;
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Live fragments carry nothing personal: fill in this viewer's CSRF token, reveal the
  // owner's actions, collapse posts by members this viewer blocked.
  function adopt(element, authorId) {
    element.querySelectorAll('input[name="csrf_token"]').forEach(function (input) {
      if (!input.value) input.value = csrfToken;
    });
    element.querySelectorAll(".owner-actions[data-owner-id]").forEach(function (actions) {
      if (isModerator || (myId && actions.dataset.ownerId === myId)) actions.hidden = false;
      else actions.remove();
    });
    if (authorId && blockedIds.has(String(authorId))) {
      element.querySelectorAll(".comment-body").forEach(function (body) {
        if (body.closest(".blocked-post")) return;
        const details = document.createElement("details");
        details.className = "blocked-post";
        const summary = document.createElement("summary");
        summary.textContent = i18n.t("You blocked this member. Show");
        details.appendChild(summary);
        body.replaceWith(details);
        details.appendChild(body);
      });
    }
    enhance(element);
    return element;
  }

  // A live event carries this page's language's fragment as html; a replayed one carries
  // every language's (html_by_locale): take this page's.
  function localHtml(data) {
    const localized = data.html_by_locale || {};
    return localized[i18n.locale || "en"] || data.html;
  }

  // Comments, posts and events name their author as the API does: { id, handle, display_name }.
  function authorId(data) {
    return data.author ? data.author.id : null;
  }

  function request(url, options) {
    const headers = Object.assign({ Accept: "application/json" }, (options && options.headers) || {});
    return fetch(url, Object.assign({ credentials: "same-origin" }, options, { headers: headers }))
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      });
  }

  function showErrors(form, body) {
    let box = form.querySelector(".form-errors");
    if (!box) {
      box = document.createElement("div");
      box.className = "form-errors";
      box.setAttribute("role", "alert");
      form.prepend(box);
    }
    const messages = [];
    if (body && body.errors) {
      Object.keys(body.errors).forEach(function (name) {
        if (name !== "csrf_token") messages.push.apply(messages, [].concat(body.errors[name]));
      });
    }
    if (!messages.length) messages.push((body && body.error) || i18n.t("That did not work. Please try again."));
    box.textContent = messages.join(" ");
    box.hidden = false;
  }

  // --- placing comments in the tree ----------------------------------------------------

  // The reply count: only events that changed it (created, deleted) carry it in order.
  // An edit's event, or the answer to this page's own post, may carry a count read
  // before a later reply was counted (it once said "2 replies" where a reload said 3),
  // so they are not taken while the page follows the live events.
  function updateCount(count) {
    if (typeof count !== "number") return;
    document.querySelectorAll(".comment-count-label").forEach(function (label) {
      const text = i18n.tn("%(num)d reply", "%(num)d replies", count);
      const at = text.indexOf(String(count));
      const number = document.createElement("span");
      number.className = "comment-total";
      number.textContent = String(count);
      if (at < 0) {
        label.replaceChildren(number, " " + text);
      } else {
        label.replaceChildren(text.slice(0, at), number, text.slice(at + String(count).length));
      }
      label.dataset.count = String(count);
    });
  }

  function following() {
    return root.dataset.live === "joined";
  }

  function continueLink(parentNode, url) {
    let link = parentNode.querySelector(":scope > .continue-thread a");
    if (!link) {
      const paragraph = document.createElement("p");
      paragraph.className = "continue-thread";
      link = document.createElement("a");
      link.href = url;
      paragraph.appendChild(link);
      parentNode.appendChild(paragraph);
      link.dataset.more = "0";
    }
    const more = Number(link.dataset.more || "0") + 1;
    link.dataset.more = String(more);
    link.textContent = i18n.t("Continue this conversation (new replies)") + " →";
  }

  // Put a comment <li> in place; returns false when its place is not on this page.
  function place(data, html) {
    if (!tree || document.getElementById("comment-" + data.id)) return false;
    const sort = root.dataset.sort;
    let list;
    let level = 0;
    if (data.parent_id === null || data.parent_id === undefined) {
      if (!isThreadView) return false;
      list = tree;
    } else {
      const parentNode = document.getElementById("comment-" + data.parent_id);
      if (!parentNode || !parentNode.classList.contains("comment-node")) return false;
      level = Number(parentNode.dataset.level || "0") + 1;
      if (level >= depthLimit) {
        continueLink(parentNode, data.continue_url);
        return false;
      }
      list = parentNode.querySelector(":scope > ol.comment-children");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-children";
        parentNode.appendChild(list);
      }
    }
    const node = adopt(fragment(html), authorId(data));
    node.dataset.level = String(level);
    // Before the link to the comments this page leaves out, if there is one (they load
    // in place later, without the ones already here).
    const more = list.querySelector(":scope > li.load-more");
    if (sort === "newest") list.prepend(node);
    else if (more) list.insertBefore(node, more);
    else list.appendChild(node);
    const empty = document.querySelector(".no-replies");
    if (empty) empty.remove();
    return node;
  }

  // --- live events ---------------------------------------------------------------------

  function onCommentCreated(data) {
    if (data.thread_id !== threadId) return;
    const node = place(data, localHtml(data));
    updateCount(data.comment_count);
    if (node && String(authorId(data)) !== myId) {
      node.classList.add("is-new");
      const someone = i18n.t("a member");
      const name = (data.author && data.author.display_name) || someone;
      announce(i18n.t("New reply from %(name)s.", { name: name }));
    }
  }

  // A deleted comment without replies leaves the page (its event has no article), and
  // so does a deleted parent it leaves without replies.
  function removeComment(node) {
    let current = node;
    while (current) {
      const list = current.parentElement;
      current.remove();
      if (!list || !list.classList.contains("comment-children") || list.children.length) break;
      const parentNode = list.closest("li.comment-node");
      list.remove();
      const placeholder = parentNode && parentNode.querySelector(":scope > article > .comment-placeholder");
      current = placeholder && !parentNode.classList.contains("is-target") ? parentNode : null;
    }
  }

  function onCommentChanged(data, message, counts) {
    if (data.thread_id !== threadId) return;
    if (counts) updateCount(data.comment_count);
    const node = document.getElementById("comment-" + data.id);
    if (!node) return;
    if (!data.html) {
      removeComment(node);
      if (message) announce(message);
      return;
    }
    const old = node.querySelector(":scope > article");
    const pressed = old ? Array.from(old.querySelectorAll('.reaction[aria-pressed="true"]')).map(function (b) { return b.value; }) : [];
    const article = adopt(fragment(localHtml(data)), authorId(data));
    pressed.forEach(function (kind) {
      const button = article.querySelector('.reaction[value^="' + kind + '"]');
      if (button) button.setAttribute("aria-pressed", "true");
    });
    if (old) old.replaceWith(article);
    else node.prepend(article);
    if (message) announce(message);
  }

  function onThreadUpdated(data) {
    if (data.thread_id !== threadId) return;
    const old = document.getElementById("post");
    if (!old) return;
    const pressed = Array.from(old.querySelectorAll('.reaction[aria-pressed="true"]')).map(function (b) { return b.value; });
    const post = adopt(fragment(localHtml(data)), authorId(data));
    pressed.forEach(function (kind) {
      const button = post.querySelector('.reaction[value^="' + kind + '"]');
      if (button) button.setAttribute("aria-pressed", "true");
    });
    // Moderator-only controls are not in live fragments: keep this page's.
    const pinForm = old.querySelector('form[action$="/pin"]');
    if (pinForm) post.querySelector(".comment-actions").appendChild(pinForm);
    old.replaceWith(post);
    announce(i18n.t("The opening post was updated."));
  }

  function reactionBar(commentId) {
    return document.querySelector('[data-reactions-for="' + (commentId ? "comment-" + commentId : "post") + '"]');
  }

  function applyReactions(data, mine) {
    const bar = reactionBar(data.comment_id);
    if (!bar) return;
    Object.keys(data.counts || {}).forEach(function (kind) {
      const button = bar.querySelector('.reaction[value^="' + kind + '"]');
      if (!button) return;
      const count = data.counts[kind];
      button.querySelector(".reaction-count").textContent = count ? String(count) : "";
      button.classList.toggle("has-count", count > 0);
      if (data.tooltips && data.tooltips[kind]) button.title = data.tooltips[kind];
      if (mine) button.setAttribute("aria-pressed", mine.indexOf(kind) >= 0 ? "true" : "false");
    });
  }

  function onReactionChanged(data) {
    if (data.thread_id !== threadId) return;
    if (myId && String(data.user_id) === myId) {
      // My own toggle, maybe from another tab: only that kind's pressed state changes.
      const bar = reactionBar(data.comment_id);
      if (bar) {
        const button = bar.querySelector('.reaction[value^="' + data.kind + '"]');
        if (button) button.setAttribute("aria-pressed", data.active ? "true" : "false");
      }
    }
    applyReactions(data, null);
  }

  function placeholder(text) {
    const paragraph = document.createElement("p");
    paragraph.className = "comment-placeholder";
    paragraph.textContent = text;
    return paragraph;
  }

  function onPostHidden(data) {
    if (data.thread_id !== threadId) return;
    if (data.subject_type === "comment") {
      const article = document.querySelector("#comment-" + data.subject_id + " > article");
      if (!article) return;
      if (isModerator) {
        article.classList.add("is-hidden");
      } else {
        const id = article.getAttribute("aria-labelledby");
        article.replaceChildren(placeholder(i18n.t("[hidden by a moderator]")));
        article.firstChild.id = id;
      }
      announce("A moderator hid a comment.");
    } else if (!isModerator) {
      showNotice("A moderator hid this discussion.");
    }
  }

  function onRefresh(data) {
    if (data.thread_id !== threadId) return;
    if (data.comment_id) {
      const article = document.querySelector("#comment-" + data.comment_id + " > article");
      if (article && !isModerator) {
        const id = article.getAttribute("aria-labelledby");
        article.replaceChildren(placeholder(i18n.t("[hidden by a moderator]")));
        article.firstChild.id = id;
        return;
      }
    }
    showNotice(i18n.t("This discussion changed."));
  }

  // --- forms: reply, quote, react, delete ----------------------------------------------

  function openReply(anchor, parentId, text) {
    const template = document.getElementById("reply-form-template");
    if (!template) return null;
    const host = parentId ? document.getElementById("comment-" + parentId) : null;
    if (!parentId) {
      const main = document.getElementById("reply-form");
      if (main) {
        const box = main.querySelector("textarea");
        if (text) box.value = text + box.value;
        box.focus();
        return main;
      }
    }
    if (!host) return null;
    let form = host.querySelector(":scope > .inline-reply");
    if (!form) {
      form = template.content.firstElementChild.cloneNode(true);
      form.querySelector('input[name="parent_id"]').value = String(parentId);
      const article = host.querySelector(":scope > article");
      article.after(form);
      enhanceReplyForm(form);
      form.querySelector(".cancel-reply").addEventListener("click", function () {
        form.remove();
        anchor.focus();
      });
      form.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          form.remove();
          anchor.focus();
        }
      });
    }
    const box = form.querySelector("textarea");
    if (text) box.value = text + box.value;
    box.focus();
    return form;
  }

  // The opening post's quote link names its address; a comment's is its permalink.
  function permalinkOf(link) {
    if (link.dataset.permalink) return link.dataset.permalink;
    const article = link.closest("article");
    const anchor = article && article.querySelector("a.permalink");
    return anchor ? anchor.getAttribute("href") : window.location.pathname;
  }

  function quoteFromSelection(link) {
    const selection = window.getSelection ? String(window.getSelection()) : "";
    if (!selection.trim()) return null;
    const scope = link.closest("article");
    const body = scope && scope.querySelector(".comment-body, .post-body");
    if (!body || !window.getSelection().containsNode(body, true)) return null;
    const handle = link.dataset.quoteAuthor;
    const where = permalinkOf(link);
    const attribution = handle ? "@" + handle + " [wrote](" + where + "):" : "[Someone wrote](" + where + "):";
    const lines = selection.trim().split(/\r?\n/).map(function (line) { return ("> " + line).replace(/\s+$/, ""); });
    return attribution + "\n" + lines.join("\n") + "\n\n";
  }

  function enhanceReplyForm(form) {
    if (form.dataset.enhanced) return;
    form.dataset.enhanced = "true";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      request(form.action, { method: "POST", body: new FormData(form) }).then(function (result) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        if (!result.ok) {
          showErrors(form, result.body);
          return;
        }
        const data = result.body;
        let node = document.getElementById("comment-" + data.id);
        if (!node) node = place(data, data.html);
        if (!following()) updateCount(data.comment_count);
        if (form.classList.contains("inline-reply")) form.remove();
        else {
          form.reset();
          const box = form.querySelector(".form-errors");
          if (box) box.hidden = true;
        }
        if (node) {
          node.classList.add("is-mine");
          node.focus();
          announce(i18n.t("Your reply is posted."));
        } else {
          // Its place is deeper than this page shows: go where it is.
          window.location.assign(data.url);
        }
      }).catch(function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        showErrors(form, null);
      });
    });
  }

  function enhance(scope) {
    scope.querySelectorAll(".reply-link[data-reply-to]").forEach(function (link) {
      if (link.dataset.enhanced) return;
      link.dataset.enhanced = "true";
      link.addEventListener("click", function (event) {
        const form = openReply(link, link.dataset.replyTo ? Number(link.dataset.replyTo) : null, "");
        if (form) event.preventDefault();
      });
    });
    scope.querySelectorAll(".quote-link[data-quote]").forEach(function (link) {
      if (link.dataset.enhanced) return;
      link.dataset.enhanced = "true";
      link.addEventListener("click", function (event) {
        event.preventDefault();
        const parentId = link.dataset.quote ? Number(link.dataset.quote) : null;
        const selected = quoteFromSelection(link);
        if (selected !== null) {
          openReply(link, parentId, selected);
          return;
        }
        request(link.href, {}).then(function (result) {
          if (!result.ok) {
            window.location.assign(link.href);
            return;
          }
          openReply(link, parentId, result.body.body || "");
        });
      });
    });
  }

  // Every reaction button on the page belongs to one form (form="reaction-form").
  function enhanceReactions() {
    const form = document.getElementById("reaction-form");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      const button = event.submitter;
      if (!button) return;
      event.preventDefault();
      const body = new FormData(form);
      body.set("reaction", button.value);
      button.disabled = true;
      request(form.action, { method: "POST", body: body }).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          announce((result.body && result.body.error) || i18n.t("That reaction did not work."));
          return;
        }
        applyReactions(result.body, result.body.mine || []);
      }).catch(function () { button.disabled = false; });
    });
  }

  // --- the rest of a long thread, loaded in place ---------------------------------------
  // A page shows a window of the conversation. "Show 3 more replies" and "Next top-level
  // comments" are plain links to pages that show the rest; here they fetch the same
  // address as a fragment (those comments' <li> items, ending with the next such link)
  // and put it where the link was. The place goes into the address bar: the next
  // top-level window's own address, or the first reply shown (which a reload finds on
  // its own page, below).

  function commentNodes(elements) {
    return elements.filter(function (element) { return element.classList.contains("comment-node"); });
  }

  function loadMore(link) {
    const item = link.closest("li.load-more");
    if (!item || link.getAttribute("aria-busy") === "true") return;
    const href = link.getAttribute("href");
    const topLevel = isThreadView && item.parentElement === tree;
    const url = new URL(href, window.location.href);
    url.searchParams.set("fragment", "1");
    url.searchParams.set("level", link.dataset.level || "0");
    link.setAttribute("aria-busy", "true");
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        const template = document.createElement("template");
        template.innerHTML = html.trim();
        // Live updates may have placed some of them already.
        const added = Array.from(template.content.children).filter(function (child) {
          return !(child.id && document.getElementById(child.id));
        });
        item.replaceWith.apply(item, added);
        added.forEach(enhance);
        const shown = commentNodes(added);
        const first = shown[0];
        if (topLevel || !first) {
          window.history.replaceState(window.history.state, "", href);
        } else {
          window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search + "#" + first.id);
        }
        if (first) first.focus({ preventScroll: true });
        announce(shown.length === 1 ? "1 more comment shown." : "{count} more comments shown.".replace("{count}", String(shown.length)));
      })
      .catch(function () {
        window.location.assign(href);
      });
  }

  document.addEventListener("click", function (event) {
    const link = event.target instanceof Element ? event.target.closest("a[data-load-more]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    loadMore(link);
  });

  // An address that names a comment this page does not show (an older permalink, or a
  // reply loaded in place before a reload): open that comment's own page instead.
  (function followToComment() {
    const match = /^#comment-(\d+)$/.exec(window.location.hash);
    if (!match || document.getElementById("comment-" + match[1])) return;
    window.location.replace(root.dataset.replyUrl + "/" + match[1] + "#comment-" + match[1]);
  })();

  // "Jump to the reply box": the link scrolls there without JavaScript; with it, the
  // box also takes the focus, so typing can start at once.
  document.querySelectorAll("a.skip-to-reply").forEach(function (link) {
    link.addEventListener("click", function (event) {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  });

  document.querySelectorAll("form.reply-form").forEach(enhanceReplyForm);
  enhance(document);
  enhanceReactions();

  // --- the socket: numbered events, caught up after every reconnect --------------------
  // Every event of the thread carries its number (seq). The page remembers the last one
  // it applied (at first, the number it was rendered at) and joins with it on every
  // (re)connect; the acknowledgement brings what was missed, in order. Each number is
  // applied once: one already seen is ignored, one that arrives ahead of a gap waits
  // until the gap is filled.

  const handlers = {
    comment_created: onCommentCreated,
    comment_updated: function (data) { onCommentChanged(data, i18n.t("A reply was edited."), false); },
    comment_deleted: function (data) { onCommentChanged(data, i18n.t("A reply was deleted."), true); },
    thread_updated: onThreadUpdated,
    reaction_changed: onReactionChanged,
    post_hidden: onPostHidden,
    post_restored: onPostRestored,
    post_refresh: onRefresh,
  };
  const connection = document.getElementById("live-connection");
  let lastSeq = Number(root.dataset.liveSeq || "0");
  const waiting = new Map(); // seq -> [event, data]: arrived before an earlier number
  let joining = false;
  let paused = false;
  let stale = false; // missed more than can be caught up: only a reload helps
  let gapTimer = null;
  let clearTimer = null;

  function onPostRestored(data) {
    if (data.thread_id !== threadId) return;
    if (data.html && data.subject_type === "comment") {
      onCommentChanged({ thread_id: threadId, id: data.subject_id, html: data.html, html_by_locale: data.html_by_locale, author: data.author }, i18n.t("A moderator restored a reply."), false);
    } else if (data.html) {
      onThreadUpdated(data);
    } else {
      showNotice(i18n.t("A moderator restored a post."));
    }
  }

  function say(message) {
    if (!connection) return;
    window.clearTimeout(clearTimer);
    connection.textContent = message;
  }

  function backOnline(count) {
    let message;
    if (count === 0) message = i18n.t("Back online; no new updates.");
    else message = i18n.tn("Back online; %(num)d new update.", "Back online; %(num)d new updates.", count);
    say(message);
    clearTimer = window.setTimeout(function () { connection.textContent = ""; }, 10000);
  }

  // Apply one numbered event if it is the next one; returns whether it was applied.
  function apply(event, data) {
    if (!data || typeof data.seq !== "number" || data.seq !== lastSeq + 1) return false;
    lastSeq = data.seq;
    root.dataset.liveSeq = String(lastSeq);
    const handler = handlers[event];
    if (handler) handler(data);
    return true;
  }

  // Apply the waiting events that now follow on; returns how many were applied.
  function drain() {
    let applied = 0;
    while (waiting.has(lastSeq + 1)) {
      const next = waiting.get(lastSeq + 1);
      waiting.delete(lastSeq + 1);
      if (apply(next[0], next[1])) applied += 1;
    }
    waiting.forEach(function (_, seq) { if (seq <= lastSeq) waiting.delete(seq); });
    return applied;
  }

  function listen(socket) {
    function fillGapSoon() {
      // Two changes committed at once may arrive out of order: wait a moment for the
      // missing number, then ask the server for it.
      if (gapTimer || !waiting.size) return;
      gapTimer = window.setTimeout(function () {
        gapTimer = null;
        if (waiting.size && !joining && socket.connected) join();
      }, 1000);
    }

    function receive(event, data) {
      if (stale || !data || data.thread_id !== threadId || typeof data.seq !== "number") return;
      if (data.seq <= lastSeq) return;
      if (joining || !apply(event, data)) {
        waiting.set(data.seq, [event, data]);
        fillGapSoon();
        return;
      }
      drain();
    }

    function join() {
      if (stale) return;
      joining = true;
      socket.emit("join_thread", { thread_id: threadId, last_seq: lastSeq }, function (ack) {
        joining = false;
        if (!ack || !ack.ok) {
          showNotice((ack && ack.error) || i18n.t("Live updates are off for this page."));
          return;
        }
        root.dataset.live = "joined";
        if (ack.reload || ack.seq < lastSeq) {
          stale = true;
          waiting.clear();
          say("");
          showNotice(i18n.t("Too much happened while you were away to show it here."));
          return;
        }
        let applied = 0;
        (ack.events || []).forEach(function (each) {
          if (apply(each.event, each.data)) applied += 1;
          else if (each.data && each.data.seq > lastSeq) waiting.set(each.data.seq, [each.event, each.data]);
        });
        applied += drain();
        if (paused) {
          paused = false;
          backOnline(applied);
        }
        fillGapSoon();
      });
    }

    socket.on("connect", join);
    socket.on("disconnect", function (reason) {
      joining = false;
      // Leaving on purpose (logged out elsewhere) is said by hallway.js; anything else
      // is a lost connection, which the client re-opens on its own.
      if (reason === "io client disconnect") return;
      paused = true;
      say(i18n.t("Live updates paused — reconnecting…"));
    });
    socket.on("connect_error", function () {
      if (!socket.active) {
        showNotice(i18n.t("Live updates are off for this page."));
        return;
      }
      paused = true;
      say(i18n.t("Live updates paused — reconnecting…"));
    });
    Object.keys(handlers).forEach(function (event) {
      socket.on(event, function (data) { receive(event, data); });
    });
    if (socket.connected) join();
  }

  if (window.hallway && window.hallway.socket) {
    listen(window.hallway.socket);
  } else {
    document.addEventListener("hallway:socket-ready", function (event) { listen(event.detail); });
  }
})();
