// wenku serve: reload this page when a rebuild changes it; show build errors
// over the page until they are fixed. Added to pages only while watching.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/__wenku\/live\.js.*$/, "") : "/";
  var seen = null;
  var overlay = null;

  function here(url) {
    var a = new URL(url, location.href);
    return a.pathname === location.pathname;
  }

  function showErrors(errors, text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "wenku-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.92);color:#fff;" +
        "font:14px/1.6 ui-monospace,monospace;padding:2em;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.textContent = text.title;
    title.style.cssText = "font-size:1.2em;color:#ff8a80;margin:0 0 1em";
    overlay.appendChild(title);
    errors.forEach(function (e) {
      var block = document.createElement("div");
      block.className = "wenku-error";
      block.style.cssText = "margin:0 0 1.5em";
      var where = e.file + (e.line ? ":" + e.line + ":" + e.column : "");
      block.textContent =
        text.error + e.message + (where ? "\n  --> " + where : "") +
        (e.source_line ? "\n   | " + e.source_line : "") +
        (e.hint ? "\n  = " + text.help + e.hint : "");
      overlay.appendChild(block);
    });
  }

  // One stream per page while it is shown. A page the browser keeps in its
  // back/forward cache must not keep its stream: browsers allow six
  // connections per host, and a few cached pages would use them all.
  var source = null;
  var restored = false;

  function connect() {
    if (source) return;
    source = new EventSource(base + "__wenku/events");
    function handle(kind, message) {
      var status = JSON.parse(message.data);
      var first = seen === null;
      var restarted = !first && status.generation < seen;
      var moved = !first && status.generation > seen;
      var wasRestored = restored;
      restored = false;
      seen = status.generation;
      if (kind === "broken") {
        showErrors(status.errors, status.text);
        return;
      }
      // Back from the cache after rebuilds it did not hear of: any of them
      // may have changed this page.
      if (restarted || (moved && (wasRestored || overlay || status.pages === null || status.pages.some(here)))) {
        location.reload();
      }
    }
    source.addEventListener("reload", function (m) { handle("reload", m); });
    source.addEventListener("broken", function (m) { handle("broken", m); });
  }

  window.addEventListener("pagehide", function () {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener("pageshow", function (event) {
    restored = event.persisted;
    connect();
  });
  connect();
})();
