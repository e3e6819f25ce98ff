// Runs before the web editor (Sveltia CMS) starts: its Vietnamese interface strings are put
// where the editor keeps the strings it has downloaded, from the copy served with the site
// (admin/vi.json), so it neither asks a CDN for them nor falls back to English; and the
// interface language is Vietnamese whatever the browser's language.
(function () {
  "use strict";
  var version = document.currentScript && document.currentScript.getAttribute("data-version");
  try {
    // The editor offers to switch to the browser's language: editors here write in Vietnamese.
    Object.defineProperty(Navigator.prototype, "language", { get: function () { return "vi"; }, configurable: true });
    Object.defineProperty(Navigator.prototype, "languages", { get: function () { return ["vi"]; }, configurable: true });
  } catch (e) { /* a browser that refuses: the offer stays, the interface is still Vietnamese */ }
  try {
    var prefs = JSON.parse(localStorage.getItem("sveltia-cms.prefs") || "{}");
    prefs.locale = "vi";
    localStorage.setItem("sveltia-cms.prefs", JSON.stringify(prefs));
    var cached = JSON.parse(localStorage.getItem("sveltia-cms.locale") || "{}");
    if (cached._locale === "vi" && cached._version === version) { return; }
    // Synchronous on purpose: the editor reads the strings as soon as its script runs.
    var request = new XMLHttpRequest();
    request.open("GET", "vi.json", false);
    request.send();
    if (request.status === 200) {
      var strings = JSON.parse(request.responseText);
      strings._locale = "vi";
      strings._version = version;
      localStorage.setItem("sveltia-cms.locale", JSON.stringify(strings));
    }
  } catch (e) { /* the editor still works, in English */ }
})();
