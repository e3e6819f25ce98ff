// Visitor counter: counts this page view on the GoatCounter server (no cookies, Do Not
// Track honoured) and refreshes the "Lượt truy cập" box. Every failure leaves the page
// and the build-time figures as they are.
(function () {
  "use strict";
  var cfg;
  try {
    cfg = JSON.parse(document.getElementById("portal-counter-config").textContent);
  } catch (e) {
    return;
  }
  var HOUR = 3600 * 1000;
  var dnt = navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.msDoNotTrack === "1";
  var local = /^(localhost|127\.|0\.0\.0\.0$|\[?::1\]?$)/.test(location.hostname);
  var counted = {};

  function count(path) {
    if (dnt || (local && !cfg.allowLocal) || counted[path]) { return; }
    counted[path] = true;
    try {
      if (cfg.script) {
        if (window.goatcounter && window.goatcounter.count) {
          window.goatcounter.count({ path: path });
        } else if (!document.querySelector("script[data-goatcounter]")) {
          var s = document.createElement("script");
          s.async = true;
          s.src = cfg.script;
          s.setAttribute("data-goatcounter", cfg.url + "/count");
          if (cfg.allowLocal) { s.setAttribute("data-goatcounter-settings", '{"allow_local": true}'); }
          document.head.appendChild(s);
        }
        return;
      }
      var query = "p=" + encodeURIComponent(path) +
        "&t=" + encodeURIComponent(document.title) +
        "&r=" + encodeURIComponent(document.referrer) +
        "&s=" + [screen.width, screen.height, window.devicePixelRatio || 1].join(",") +
        "&rnd=" + Math.random().toString(36).slice(2);
      fetch(cfg.url + "/count?" + query, { mode: "no-cors", credentials: "omit", keepalive: true, cache: "no-store" })
        .catch(function () {});
    } catch (e) { /* counting is best effort */ }
  }

  function parseCount(value) {
    if (typeof value === "number") { return value >= 0 ? Math.floor(value) : null; }
    if (typeof value !== "string") { return null; }
    var digits = value.replace(/\D/g, "");
    return digits ? parseInt(digits, 10) : null;
  }

  function format(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function fetchCount(query) {
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctrl) { ctrl.abort(); } }, cfg.timeout);
    return fetch(cfg.url + "/counter/TOTAL.json" + query, {
      credentials: "omit", cache: "no-store", signal: ctrl ? ctrl.signal : undefined
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (data) {
      var n = parseCount(data && data.count);
      if (n === null) { throw new Error("malformed"); }
      clearTimeout(timer);
      return n;
    }, function (err) {
      clearTimeout(timer);
      throw err;
    });
  }

  function setRow(box, row, value) {
    var cell = box.querySelector('[data-row="' + row + '"] [data-value]');
    if (cell && value !== null && value !== undefined) { cell.textContent = format(value); }
  }

  function refresh() {
    var box = document.querySelector("[data-portal-counter]");
    if (!box || !window.fetch) { return; }
    // Vietnamese time is UTC+7 all year: shift, then read the UTC fields.
    var vnNow = new Date(Date.now() + 7 * HOUR);
    var today = vnNow.toISOString().slice(0, 10);
    var yesterday = new Date(vnNow.getTime() - 24 * HOUR).toISOString().slice(0, 10);
    var hours = vnNow.getUTCHours() + vnNow.getUTCMinutes() / 60;
    // The build-time figures are exact Vietnamese days; the public counter only knows UTC
    // days, so it replaces them only when they are from an earlier day.
    var fresh = box.getAttribute("data-snapshot-day") === today;
    fetchCount("").then(function (n) { setRow(box, "total", n + (cfg.offset || 0)); }).catch(function () {});
    if (fresh) { return; }
    fetchCount("?start=" + today + "&end=" + today).then(function (n) {
      setRow(box, "today", n);
      if (hours >= 1) { setRow(box, "forecast", Math.round(n * 24 / hours)); }
    }).catch(function () {});
    fetchCount("?start=" + yesterday + "&end=" + yesterday).then(function (n) {
      setRow(box, "yesterday", n);
    }).catch(function () {});
  }

  try {
    count(location.pathname);
    refresh();
    // Material's instant navigation swaps pages without reloading this script.
    if (window.document$ && window.document$.subscribe) {
      window.document$.subscribe(function () {
        try { count(location.pathname); refresh(); } catch (e) { /* keep the page working */ }
      });
    }
  } catch (e) { /* keep the page working */ }
})();
