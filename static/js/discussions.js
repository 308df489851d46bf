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
        summary.textContent = "You blocked this member. Show";
        details.appendChild(summary);
        body.replaceWith(details);
        details.appendChild(body);
      });
    }
    enhance(element);
    return element;
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
    if (!messages.length) messages.push((body && body.error) || "That did not work. Please try again.");
    box.textContent = messages.join(" ");
    box.hidden = false;
  }

  // --- placing comments in the tree ----------------------------------------------------

  function updateCount(count) {
    if (typeof count !== "number") return;
    document.querySelectorAll(".comment-total").forEach(function (element) {
      element.textContent = String(count);
    });
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
    link.textContent = "Continue this conversation (new replies) →";
  }

  // Put a comment <li> in place; returns false when its place is not on this page.
  function place(data, html) {
    if (!tree || document.getElementById("comment-" + data.comment_id)) return false;
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
    const node = adopt(fragment(html), data.author_id);
    node.dataset.level = String(level);
    if (sort === "newest") list.prepend(node);
    else list.appendChild(node);
    const empty = document.querySelector(".no-replies");
    if (empty) empty.remove();
    return node;
  }

  // --- live events ---------------------------------------------------------------------

  function onCommentCreated(data) {
    if (data.thread_id !== threadId) return;
    const node = place(data, data.html);
    updateCount(data.comment_count);
    if (node && String(data.author_id) !== myId) {
      node.classList.add("is-new");
      announce("New reply from " + (data.author_name || "a member") + ".");
    }
  }

  function onCommentChanged(data, message) {
    if (data.thread_id !== threadId) return;
    const node = document.getElementById("comment-" + data.comment_id);
    if (!node) return;
    const old = node.querySelector(":scope > article");
    const pressed = old ? Array.from(old.querySelectorAll('.reaction[aria-pressed="true"]')).map(function (b) { return b.value; }) : [];
    const article = adopt(fragment(data.html), data.author_id);
    pressed.forEach(function (kind) {
      const button = article.querySelector('.reaction[value^="' + kind + '"]');
      if (button) button.setAttribute("aria-pressed", "true");
    });
    if (old) old.replaceWith(article);
    else node.prepend(article);
    updateCount(data.comment_count);
    if (message) announce(message);
  }

  function onThreadUpdated(data) {
    if (data.thread_id !== threadId) return;
    const old = document.getElementById("post");
    if (!old) return;
    const pressed = Array.from(old.querySelectorAll('.reaction[aria-pressed="true"]')).map(function (b) { return b.value; });
    const post = adopt(fragment(data.html), data.author_id);
    pressed.forEach(function (kind) {
      const button = post.querySelector('.reaction[value^="' + kind + '"]');
      if (button) button.setAttribute("aria-pressed", "true");
    });
    // Moderator-only controls are not in live fragments: keep this page's.
    const pinForm = old.querySelector('form[action$="/pin"]');
    if (pinForm) post.querySelector(".comment-actions").appendChild(pinForm);
    old.replaceWith(post);
    announce("The opening post was updated.");
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
        article.replaceChildren(placeholder("[hidden by a moderator]"));
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
        article.replaceChildren(placeholder("[hidden by a moderator]"));
        article.firstChild.id = id;
        return;
      }
    }
    showNotice("This discussion changed.");
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

  function quoteFromSelection(link) {
    const selection = window.getSelection ? String(window.getSelection()) : "";
    if (!selection.trim()) return null;
    const scope = link.closest("article");
    const body = scope && scope.querySelector(".comment-body, .post-body");
    if (!body || !window.getSelection().containsNode(body, true)) return null;
    const handle = link.dataset.quoteAuthor;
    const attribution = handle ? "@" + handle + " [wrote](" + link.dataset.permalink + "):" : "[Someone wrote](" + link.dataset.permalink + "):";
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
        let node = document.getElementById("comment-" + data.comment_id);
        if (!node) node = place(data, data.html);
        updateCount(data.comment_count);
        if (form.classList.contains("inline-reply")) form.remove();
        else {
          form.reset();
          const box = form.querySelector(".form-errors");
          if (box) box.hidden = true;
        }
        if (node) {
          node.classList.add("is-mine");
          node.focus();
          announce("Your reply is posted.");
        } else {
          // Its place is deeper than this page shows: go where it is.
          window.location.assign(data.permalink);
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
          announce((result.body && result.body.error) || "That reaction did not work.");
          return;
        }
        applyReactions(result.body, result.body.mine || []);
      }).catch(function () { button.disabled = false; });
    });
  }

  document.querySelectorAll("form.reply-form").forEach(enhanceReplyForm);
  enhance(document);
  enhanceReactions();

  // --- the socket ----------------------------------------------------------------------

  function listen(socket) {
    function join() {
      socket.emit("join_thread", { thread_id: threadId }, function (ack) {
        if (ack && !ack.ok) showNotice(ack.error || "Live updates are off for this page.");
        if (ack && ack.ok) root.dataset.live = "joined";
      });
    }
    socket.on("connect", join);
    if (socket.connected) join();
    socket.on("comment_created", onCommentCreated);
    socket.on("comment_updated", function (data) { onCommentChanged(data, "A reply was edited."); });
    socket.on("comment_deleted", function (data) { onCommentChanged(data, "A reply was deleted."); });
    socket.on("thread_updated", onThreadUpdated);
    socket.on("reaction_changed", onReactionChanged);
    socket.on("post_hidden", onPostHidden);
    socket.on("post_restored", function (data) {
      if (data.thread_id === threadId) showNotice("A moderator restored a post.");
    });
    socket.on("post_refresh", onRefresh);
  }

  if (window.hallway && window.hallway.socket) {
    listen(window.hallway.socket);
  } else {
    document.addEventListener("hallway:socket-ready", function (event) { listen(event.detail); });
  }
})();
