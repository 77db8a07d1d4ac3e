/* briefgen serve: the warnings and broken links `briefgen check` reports for this page,
   in a small panel at the bottom corner. Injected by `serve` only. The problems' text
   comes from content files: it is only ever set as textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("briefgen-problems-data").textContent);
  var DISMISSED_KEY = "briefgen-problems-dismissed"; /* fingerprints of dismissed lists */
  var OPEN_KEY = "briefgen-problems-open"; /* "1" or "0" once the reader chose */
  var lines = data.page.concat(data.elsewhere);
  var fingerprint = hash(lines.join("\n") + "\n" + data.more);

  function hash(text) {
    var h = 0x811c9dc5; /* FNV-1a, 32 bits */
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16);
  }

  function stored(key, fallback) {
    try {
      var value = sessionStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* storage unavailable: the choice lasts until the next reload */
    }
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function element(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.style.cssText = css;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var dismissed = stored(DISMISSED_KEY, []);
  if (!Array.isArray(dismissed)) dismissed = [];
  if (dismissed.indexOf(fingerprint) >= 0) return;

  /* Styles through the CSSOM, which a Content-Security-Policy without
     'unsafe-inline' allows; colours and fonts from the theme's variables. */
  var FONT = "font:600 0.875rem/1.4 var(--sans,system-ui,sans-serif);";
  var BUTTON =
    FONT +
    "min-height:2.75rem;margin:0;padding:0 0.75rem;border:1px solid var(--rule,GrayText);" +
    "border-radius:4px;background:var(--bg,Canvas);color:var(--fg,CanvasText);cursor:pointer;";
  var LIST =
    "margin:0 0 0.5rem;padding:0;list-style:none;" +
    "font:400 0.8125rem/1.45 var(--mono,ui-monospace,monospace);";
  var ITEM = "margin:0 0 0.35rem;white-space:pre-wrap;overflow-wrap:anywhere;";

  var panel = element(
    "aside",
    "position:fixed;right:8px;bottom:8px;z-index:2147483646;box-sizing:border-box;" +
      "display:flex;flex-direction:column;max-width:min(42rem,calc(100vw - 16px));" +
      "max-height:min(40vh,30rem);padding:0.5rem;border:1px solid var(--rule,GrayText);" +
      "border-left:4px solid var(--accent,#b35c00);border-radius:6px;" +
      "background:var(--bg,Canvas);color:var(--fg,CanvasText);box-shadow:0 2px 12px #0004;"
  );
  panel.id = "briefgen-problems";
  panel.setAttribute("aria-label", "Problems briefgen check reports");

  var bar = element("div", "display:flex;gap:0.5rem;align-items:center;");
  var others = data.elsewhere.length + data.more;
  var count = data.page.length
    ? plural(data.page.length, "warning") + (others ? " · " + others + " elsewhere" : "")
    : plural(others, "warning") + " elsewhere in the site";
  var toggle = element("button", BUTTON + "flex:1;text-align:left;");
  var arrow = element("span", "display:inline-block;width:1.25em;");
  arrow.setAttribute("aria-hidden", "true");
  toggle.appendChild(arrow);
  toggle.appendChild(document.createTextNode(count));
  toggle.type = "button";
  toggle.id = "briefgen-problems-toggle";
  toggle.setAttribute("aria-controls", "briefgen-problems-list");
  var close = element("button", BUTTON + "min-width:2.75rem;padding:0;font-size:1.25rem;", "×");
  close.type = "button";
  close.id = "briefgen-problems-close";
  close.setAttribute("aria-label", "Dismiss these warnings");
  close.title = "Dismiss these warnings";
  bar.appendChild(toggle);
  bar.appendChild(close);

  var body = element("div", "overflow:auto;margin-top:0.5rem;");
  body.id = "briefgen-problems-list";

  function section(title, items) {
    if (title) body.appendChild(element("p", FONT + "margin:0.5rem 0 0.35rem;", title));
    var list = element("ul", LIST);
    for (var i = 0; i < items.length; i++) list.appendChild(element("li", ITEM, items[i]));
    body.appendChild(list);
  }

  if (data.page.length) section("What briefgen check reports for this page:", data.page);
  if (others) {
    section(data.page.length ? "Elsewhere in the site" : "", data.elsewhere);
    if (data.more) {
      body.appendChild(
        element("p", FONT + "margin:0;", "and " + data.more + " more: run briefgen check")
      );
    }
  }
  panel.appendChild(bar);
  panel.appendChild(body);

  function show(open) {
    body.hidden = !open;
    arrow.textContent = open ? "▾" : "▸";
    toggle.setAttribute("aria-expanded", String(open));
  }

  /* Open at first when this page has problems and the screen is wide enough; after
     that, as the reader left it. */
  var narrow = window.matchMedia("(max-width: 40em)").matches;
  show(stored(OPEN_KEY, data.page.length > 0 && !narrow) === true);

  toggle.addEventListener("click", function () {
    var open = body.hidden;
    show(open);
    makeRoom(); /* at once: the observer's call comes a frame later, after a scroll */
    store(OPEN_KEY, open);
  });

  /* Room at the end of the page as tall as the panel, so that nothing stays hidden
     under it: whatever it covers scrolls out from under it. Nothing above moves. */
  var room = element("div", "height:0;");
  room.id = "briefgen-problems-room";
  room.setAttribute("aria-hidden", "true");
  function makeRoom() {
    room.style.height = panel.offsetHeight + 16 + "px";
  }
  var resized = new ResizeObserver(makeRoom);

  close.addEventListener("click", function () {
    dismissed.push(fingerprint);
    store(DISMISSED_KEY, dismissed.slice(-50));
    var focused = panel.contains(document.activeElement);
    resized.disconnect();
    room.remove();
    panel.remove();
    if (focused) {
      var main = document.querySelector("main[tabindex]") || document.body;
      main.focus({ preventScroll: true });
    }
  });

  document.body.appendChild(room);
  document.body.appendChild(panel);
  makeRoom(); /* now, before live reload's script restores the scroll position */
  resized.observe(panel);
})();
