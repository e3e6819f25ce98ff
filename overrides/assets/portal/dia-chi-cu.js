// Addresses of the old Joomla site that carry a query string ("index.php?option=com_content&view=article&id=12",
// "?start=10", "?format=feed"): a file host ignores the query, so this script reads it and goes on.
// Loaded first by the pages at old addresses (it stops their refresh when the query leads elsewhere),
// and by portal.js on any page whose query looks like the old site's.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var root = script.src.replace(/assets\/portal\/dia-chi-cu\.js(?:[?#].*)?$/, "");
  var query = new URLSearchParams(location.search);
  var view = query.get("view") || (query.get("task") === "view" ? "article" : "");
  var id = parseInt(query.get("id") || "", 10);
  var offset = parseInt(query.get("limitstart") || query.get("start") || "", 10);
  var feed = query.get("format") === "feed";
  var fallback = script.getAttribute("data-target");
  var article = view === "article" && id > 0;
  var category = (view === "category" && id > 0) || offset >= 0 || feed;
  if (!article && !category) { return; }
  if (document.readyState === "loading") { window.stop(); }  // the page's own refresh would win the race
  function go(url) { location.replace(url); }
  function fallBack() { if (fallback) { go(fallback); } }
  if (article) { go(root + "dia-chi-cu/" + id + "/"); return; }
  function route() {
    var path = decodeURIComponent(location.pathname.slice(new URL(root).pathname.length));
    return path.replace(/^index\.php(?:\/|$)/, "").replace(/\/$/, "").replace(/\.html$/, "");
  }
  fetch(root + "dia-chi-cu/ban-do.json").then(function (answer) {
    if (!answer.ok) { throw new Error(String(answer.status)); }
    return answer.json();
  }).then(function (map) {
    var old = view === "category" && id > 0 ? String(id) : map.paths[route()];
    if (feed) { go(root + ((old && map.feeds[old]) || "feed.xml")); return; }
    var pages = old && map.pages[old];
    if (!pages) { fallBack(); return; }
    var target = pages[0][1];
    for (var i = 1; i < pages.length && offset >= pages[i][0]; i++) { target = pages[i][1]; }
    go(root + target);
  }).catch(fallBack);
})();
