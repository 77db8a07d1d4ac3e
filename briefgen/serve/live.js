/* briefgen serve: live reload over Server-Sent Events. Injected by `serve` only. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("briefgen-live-data").textContent);
  var version = config.version;
  var source = null;
  var SCROLL_KEY = "briefgen-scroll";

  function overlay(errors, kept) {
    var box = document.getElementById("briefgen-overlay");
    if (!errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "briefgen-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:12px 16px;background:#1d1f21;color:#f5f5f5;" +
        "font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
        "white-space:pre-wrap;border-top:4px solid #e5484d;box-shadow:0 -4px 16px #0006";
      document.body.appendChild(box);
    }
    box.textContent =
      (kept
        ? "briefgen: the last change has errors; showing the last good build.\n\n"
        : "briefgen: the site has errors; this page cannot be shown until they are fixed.\n\n") +
      errors.join("\n");
  }

  function here() {
    return decodeURI(location.pathname);
  }

  function reload(data) {
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ path: here(), y: window.scrollY }));
    var target = data.navigate ? "/" + data.navigate : null;
    if (target && target !== here()) {
      location.href = encodeURI(target);
    } else {
      location.reload();
    }
  }

  function swapStylesheets(data) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("briefgen", String(data.version));
      links[i].href = url.toString();
    }
  }

  function connect() {
    if (source) return;
    source = new EventSource("/__briefgen/events?version=" + version);
    source.addEventListener("reload", function (event) {
      var data = JSON.parse(event.data);
      if (data.version > version) reload(data);
    });
    source.addEventListener("css", function (event) {
      var data = JSON.parse(event.data);
      if (data.version > version) {
        version = data.version;
        swapStylesheets(data);
      }
    });
    source.addEventListener("errors", function (event) {
      var data = JSON.parse(event.data);
      version = Math.max(version, data.version);
      overlay(data.errors, data.kept);
    });
  }

  /* Background tabs let go of their connection, so many open tabs never exhaust the
     browser's limit of connections per host; coming back reconnects and catches up. */
  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect();
    else connect();
  });

  var saved = sessionStorage.getItem(SCROLL_KEY);
  if (saved) {
    sessionStorage.removeItem(SCROLL_KEY);
    saved = JSON.parse(saved);
    if (saved.path === here()) window.scrollTo(0, saved.y);
  }
  overlay(config.errors, config.kept);
  if (!document.hidden) connect();
})();
