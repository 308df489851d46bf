// Disclosure menus (<details data-menu>): the main navigation on phones, the user menu
// and any ui.menu(). They open and close without this file; it adds what a menu is
// expected to do: Escape closes it and puts focus back on its summary, moving focus
// or clicking outside closes it, and opening one closes the others.
(function () {
  "use strict";

  const wide = window.matchMedia("(min-width: 48rem)");

  function menus() {
    return Array.prototype.slice.call(document.querySelectorAll("details[data-menu]"));
  }

  // The main navigation is inline on wide screens: always open, its summary hidden.
  function isInline(details) {
    return details.hasAttribute("data-nav-menu") && wide.matches;
  }

  function close(details, returnFocus) {
    if (!details.open || isInline(details)) {
      return;
    }
    details.open = false;
    if (returnFocus) {
      details.querySelector("summary").focus();
    }
  }

  function layoutNavigation() {
    document.querySelectorAll("details[data-nav-menu]").forEach(function (nav) {
      nav.classList.toggle("is-inline", wide.matches);
      nav.open = wide.matches;
    });
  }

  function setUp(details) {
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open && !isInline(details)) {
        event.preventDefault();
        event.stopPropagation();
        close(details, true);
      }
    });
    details.addEventListener("focusout", function (event) {
      const next = event.relatedTarget;
      if (next && !details.contains(next)) {
        close(details, false);
      }
    });
    details.addEventListener("toggle", function () {
      if (!details.open) {
        return;
      }
      menus().forEach(function (other) {
        if (other !== details && !other.contains(details)) {
          close(other, false);
        }
      });
    });
  }

  function start() {
    menus().forEach(setUp);
    layoutNavigation();
    if (wide.addEventListener) {
      wide.addEventListener("change", layoutNavigation);
    }
    document.addEventListener("click", function (event) {
      menus().forEach(function (details) {
        if (!details.contains(event.target)) {
          close(details, false);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
