// The search page: reads ?q= (and ?chuyen-muc=), asks Pagefind, lists the results.
// Pagefind's files are fetched from this site only when a search is made.
(function () {
  "use strict";
  var form = document.querySelector("[data-portal-search]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var select = form.querySelector("select[name=chuyen-muc]");
  var status = document.querySelector("[data-portal-search-status]");
  var list = document.querySelector("[data-portal-search-results]");
  var cfg = JSON.parse(document.getElementById("portal-search-config").textContent);
  var siteRoot = new URL(cfg.site, location.href);
  var pagefind = null;
  var LIMIT = 20;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  // The index may come in several shards (large sites): the first is loaded, the others merged.
  function load() {
    if (!pagefind) {
      var bundles = cfg.bundles.map(function (name) { return new URL(name + "/", siteRoot).href; });
      pagefind = import(bundles[0] + "pagefind.js").then(function (pf) {
        return pf.options({ excerptLength: 30 }).then(function () {
          return Promise.all(bundles.slice(1).map(function (url) { return pf.mergeIndex(url); }));
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  // Mark, in the text nodes of `root`, the words that match a query word without diacritics.
  function highlight(root, terms) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      if (!walker.currentNode.parentNode.closest("mark")) { nodes.push(walker.currentNode); }
    }
    nodes.forEach(function (node) {
      var parts = node.textContent.split(/([\p{L}\p{N}]+)/u);
      if (parts.length < 2) { return; }
      var frag = document.createDocumentFragment();
      var changed = false;
      parts.forEach(function (part, i) {
        var folded = fold(part);
        if (i % 2 === 1 && terms.some(function (t) { return folded === t || (t.length > 2 && folded.indexOf(t) === 0); })) {
          var mark = document.createElement("mark");
          mark.textContent = part;
          frag.appendChild(mark);
          changed = true;
        } else {
          frag.appendChild(document.createTextNode(part));
        }
      });
      if (changed) { node.parentNode.replaceChild(frag, node); }
    });
  }

  // Pagefind ignores diacritics; a reader who typed them ("đảng", not "đăng") gets the pages
  // with those exact words first, keeping Pagefind's order otherwise.
  function exactFirst(data, query) {
    if (fold(query) === query.toLowerCase()) { return data; }
    var words = query.toLowerCase().normalize("NFC").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    var scored = data.map(function (d, i) {
      var shown = (d.meta && d.meta.summary) || d.excerpt.replace(/<[^>]+>/g, "");
      var text = (((d.meta && d.meta.title) || "") + " " + shown).toLowerCase().normalize("NFC");
      var tokens = text.split(/[^\p{L}\p{N}]+/u);
      var hits = words.filter(function (w) { return tokens.indexOf(w) !== -1; }).length;
      return { d: d, i: i, hits: hits };
    });
    scored.sort(function (a, b) { return (b.hits - a.hits) || (a.i - b.i); });
    return scored.map(function (s) { return s.d; });
  }

  function show(results, total, query) {
    var terms = fold(query).split(/[^a-z0-9]+/).filter(Boolean);
    list.textContent = "";
    results.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "portal-search__result";
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = new URL((data.meta && data.meta.link) || data.url, siteRoot).href;
      a.textContent = (data.meta && data.meta.title) || data.url;
      h.appendChild(a);
      var meta = document.createElement("p");
      meta.className = "portal-search__meta";
      meta.textContent = [data.meta && data.meta.date, data.meta && data.meta.category].filter(Boolean).join(" · ");
      var excerpt = document.createElement("p");
      excerpt.className = "portal-search__excerpt";
      if (data.meta && data.meta.summary) {
        excerpt.textContent = data.meta.summary;
      } else {
        excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and adds only <mark>
      }
      highlight(h, terms);
      highlight(excerpt, terms);
      li.appendChild(h);
      li.appendChild(meta);
      li.appendChild(excerpt);
      list.appendChild(li);
    });
    status.textContent = total > results.length
      ? "Tìm thấy " + total + " bài viết; hiện " + results.length + " bài phù hợp nhất."
      : "Tìm thấy " + total + " bài viết.";
  }

  function run() {
    var query = input.value.trim();
    var category = select.value;
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    if (category) { params.set("chuyen-muc", category); }
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    if (!query) {
      list.textContent = "";
      status.textContent = "Nhập từ khoá để tìm bài viết.";
      return Promise.resolve();
    }
    status.textContent = "Đang tìm…";
    return load().then(function (pf) {
      return pf.search(query, category ? { filters: { category: category } } : {});
    }).then(function (search) {
      if (!search || !search.results.length) {
        list.textContent = "";
        status.textContent = "Không tìm thấy bài viết nào cho “" + query + "”" + (category ? " trong chuyên mục " + category : "") + ".";
        return;
      }
      return Promise.all(search.results.slice(0, LIMIT).map(function (r) { return r.data(); })).then(function (data) {
        show(exactFirst(data, query), search.results.length, query);
      });
    }).catch(function () {
      status.textContent = "Chưa tìm được: không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  select.value = params.get("chuyen-muc") || "";
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  select.addEventListener("change", function () { if (input.value.trim()) { run(); } });
  if (input.value) { run(); } else { input.focus(); }
})();
