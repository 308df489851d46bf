// Hallway's live layer: one Socket.IO connection per page, shared by features.
// Pages work without it; this only adds live updates on top.
(function () {
  "use strict";
  if (typeof io === "undefined" || !document.body.dataset.userId) {
    return;
  }
  const socket = io({ transports: ["websocket", "polling"] });
  window.hallway = { socket: socket };

  socket.on("session_ended", function () {
    // Logged out or password changed on another device: this page's session is gone.
    socket.disconnect();
    window.location.reload();
  });

  document.dispatchEvent(new CustomEvent("hallway:socket-ready", { detail: socket }));
})();
