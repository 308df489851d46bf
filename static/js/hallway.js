// Hallway's live layer: one Socket.IO connection per page, shared by features.
// Pages work without it; this only adds live updates on top.
(function () {
  "use strict";
  if (typeof io === "undefined" || !document.body.dataset.userId) {
    return;
  }
  const socket = io({ transports: ["websocket", "polling"] });
  window.hallway = { socket: socket };

  let leaving = false;
  window.addEventListener("pagehide", function () { leaving = true; });

  socket.on("session_ended", function () {
    // Logged out or password changed elsewhere: this page's session is gone.
    // Say so rather than reload, so a form in progress is not lost.
    socket.disconnect();
    if (leaving || document.getElementById("session-ended")) {
      return;
    }
    const notice = document.createElement("p");
    notice.id = "session-ended";
    notice.className = "flash flash-info";
    notice.setAttribute("role", "alert");
    notice.append("You have been logged out. ");
    const link = document.createElement("a");
    link.href = "/login?next=" + encodeURIComponent(window.location.pathname);
    link.textContent = "Log in again";
    notice.append(link);
    document.getElementById("main").prepend(notice);
  });

  document.dispatchEvent(new CustomEvent("hallway:socket-ready", { detail: socket }));
})();
