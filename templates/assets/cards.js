/* Citation cards. A marker in the text ([2]) links to its entry in the source list;
   with this script it opens its card instead: a popover (a non-modal dialog) beside
   the marker, or a bottom sheet on narrow screens (style.css). A card opens on hover
   after a short delay and on click, tap or Enter; it stays open while the pointer is
   on it; it closes on Esc (focus back on the marker), on a click elsewhere, or when
   focus moves on past it. The card is moved to just after its marker when it opens,
   so Tab goes from the marker into the card's links.
   No inline handlers or styles: it works under a strict Content-Security-Policy. */
(function () {
  "use strict";
  if (!HTMLElement.prototype.hasOwnProperty("popover")) return;

  var OPEN_DELAY = 350, CLOSE_DELAY = 300, GAP = 6, EDGE = 8;
  var narrow = window.matchMedia("(max-width: 40em)");
  var current = null; // {card, marker, pinned}: the open card
  var openTimer = 0, closeTimer = 0;

  function cardOf(marker) {
    var href = marker.getAttribute("href") || "";
    if (href.charAt(0) !== "#") return null;
    return document.querySelector('.cite-card[data-citation="' + CSS.escape(href.slice(1)) + '"]');
  }

  function markerAt(node) {
    var marker = node instanceof Element ? node.closest("a.cite-ref") : null;
    return marker && cardOf(marker) ? marker : null;
  }

  function place() {
    var card = current.card;
    if (narrow.matches) {
      card.style.removeProperty("--card-top");
      card.style.removeProperty("--card-left");
      return;
    }
    var at = current.marker.getBoundingClientRect();
    var width = card.offsetWidth, height = card.offsetHeight;
    var right = document.documentElement.clientWidth - EDGE, bottom = window.innerHeight - EDGE;
    // From the marker's start edge on: its left in a left-to-right page, its right in
    // a right-to-left one, so that the card opens over the text still to come.
    var rtl = getComputedStyle(current.marker).direction === "rtl";
    var start = rtl ? at.right + 16 - width : at.left - 16;
    var left = Math.max(EDGE, Math.min(start, right - width));
    var top = at.bottom + GAP;
    if (top + height > bottom && at.top - GAP - height >= EDGE) top = at.top - GAP - height;
    card.style.setProperty("--card-left", left + "px");
    card.style.setProperty("--card-top", Math.max(EDGE, top) + "px");
  }

  function show(marker, pinned) {
    var card = cardOf(marker);
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (current && current.marker === marker) {
      current.pinned = current.pinned || pinned;
      return;
    }
    hide(false);
    if (marker.nextElementSibling !== card) marker.after(card);
    card.showPopover();
    marker.setAttribute("aria-expanded", "true");
    current = { card: card, marker: marker, pinned: pinned };
    place();
    if (narrow.matches) uncover(marker, card);
  }

  /* A bottom sheet may cover the marker that opened it, which keeps the focus: the
     page is scrolled so that the marker stands above the sheet. */
  function uncover(marker, card) {
    var hidden = marker.getBoundingClientRect().bottom + GAP - (window.innerHeight - card.offsetHeight);
    if (hidden > 0) window.scrollBy(0, hidden);
  }

  function hide(refocus) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (!current) return;
    var shown = current;
    current = null;
    if (shown.card.matches(":popover-open")) shown.card.hidePopover();
    shown.marker.setAttribute("aria-expanded", "false");
    if (refocus) shown.marker.focus();
  }

  function later(action, delay) {
    return window.setTimeout(action, delay);
  }

  document.querySelectorAll("a.cite-ref").forEach(function (marker) {
    var card = cardOf(marker);
    if (!card) return;
    marker.setAttribute("aria-haspopup", "dialog");
    marker.setAttribute("aria-expanded", "false");
    marker.setAttribute("aria-controls", card.id);
  });

  document.addEventListener("click", function (event) {
    var marker = markerAt(event.target);
    if (marker) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (current && current.marker === marker && current.pinned) hide(false);
      else show(marker, true);
    } else if (current && current.card.contains(event.target) && event.target.closest("a")) {
      hide(false); // a link of the card was followed
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) {
      event.preventDefault();
      hide(true);
    }
  });

  document.addEventListener("pointerdown", function (event) {
    if (current && !current.card.contains(event.target) && !current.marker.contains(event.target)) {
      hide(false);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (current && !current.card.contains(event.target) && event.target !== current.marker) {
      hide(false);
    }
  });

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    var marker = markerAt(event.target);
    if (current && (marker === current.marker || current.card.contains(event.target))) {
      clearTimeout(closeTimer);
    } else if (marker) {
      clearTimeout(openTimer);
      openTimer = later(function () { show(marker, false); }, OPEN_DELAY);
    }
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") return;
    var to = event.relatedTarget;
    var marker = markerAt(event.target);
    if (marker && !(to instanceof Node && marker.contains(to))) clearTimeout(openTimer);
    if (!current || current.pinned) return;
    if (to instanceof Node && (current.card.contains(to) || current.marker.contains(to))) return;
    if (marker === current.marker || current.card.contains(event.target)) {
      closeTimer = later(function () { hide(false); }, CLOSE_DELAY);
    }
  });

  window.addEventListener("resize", function () { if (current) place(); });
  window.addEventListener("scroll", function () { if (current) place(); }, { passive: true });
})();
