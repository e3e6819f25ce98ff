// The search page: reads ?q= (and ?chuyen-muc=, ?nam=), looks the words up in the portal's static
// index (tim-kiem/chi-muc/, written by chibo/search.py), lists the results.
// The index's files are fetched from this site only when a search is made.
(function () {
  "use strict";
  var form = document.querySelector("[data-portal-search]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var select = form.querySelector("select[name=chuyen-muc]");
  var yearSelect = form.querySelector("select[name=nam]");
  var status = document.querySelector("[data-portal-search-status]");
  var list = document.querySelector("[data-portal-search-results]");
  var more = document.querySelector("[data-portal-search-more]");
  var cfg = JSON.parse(document.getElementById("portal-search-config").textContent);
  var siteRoot = new URL(cfg.site, location.href);
  var indexRoot = new URL(cfg.index + "/", siteRoot);
  var PAGE = 20;
  var files = {};   // path under a version's folder -> promise of its JSON (they never change)
  var shown = null; // the current query's ranked ids and how many are on the page

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function words(text) {
    return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  // The same key and file number as chibo/search.py: folded, letters and digits only; FNV-1a.
  function key(word) {
    var parts = fold(word).match(/[a-z0-9]+/g);
    return parts ? parts.join("") : word;
  }

  function bucket(wordKey, buckets) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(wordKey).forEach(function (b) { h = Math.imul(h ^ b, 0x01000193) >>> 0; });
    return h % buckets;
  }

  function fetchJSON(path, options) {
    return fetch(new URL(path, indexRoot).href, options).then(function (r) {
      if (!r.ok) { throw new Error(path + ": " + r.status); }
      return r.json();
    });
  }

  function getJSON(path) {
    if (!files[path]) {
      files[path] = fetchJSON(path).catch(function (err) { delete files[path]; throw err; });
    }
    return files[path];
  }

  // Asked again at every search (a small conditional request): a page left open searches
  // what has been published since, in the folder of that version.
  function loadMeta() {
    return fetchJSON("meta.json", { cache: "no-cache" });
  }

  function ids(deltas) {
    var out = [], id = 0;
    for (var i = 0; i < deltas.length; i++) { id += deltas[i]; out.push(id); }
    return out;
  }

  // Every query word must match (without diacritics); a word typed with diacritics that
  // matches as written ranks first, then matches in the headline or tags (more for query
  // words that stand next to each other in the headline), newest after that.
  function rank(m, query, category, year) {
    var qwords = Array.from(new Set(words(query))).slice(0, 10);
    return Promise.all(qwords.map(function (w) {
      var k = key(w);
      return getJSON(m.version + "/w" + bucket(k, m.buckets) + ".json").then(function (file) {
        var hits = new Map();
        var variants = file[k] || {};
        var typedMarks = fold(w) !== w;
        Object.keys(variants).forEach(function (written) {
          var exact = typedMarks && written === w ? 1 : 0;
          // [ids with it in the headline or tags, its place in each headline as one character
          // ("0" first, "-" only in the tags), ids with it elsewhere]
          var posting = variants[written];
          var add = function (id, weight, place) {
            var h = hits.get(id);
            if (!h) { hits.set(id, { w: weight, x: exact, p: place }); return; }
            h.w = Math.max(h.w, weight);
            h.x = Math.max(h.x, exact);
            if (place >= 0 && (h.p < 0 || place < h.p)) { h.p = place; }
          };
          ids(posting[0]).forEach(function (id, i) { add(id, 3, posting[1].charCodeAt(i) - 48); });
          ids(posting[2]).forEach(function (id) { add(id, 1, -1); });
        });
        return hits;
      });
    })).then(function (inOrder) {
      if (!inOrder.length) { return []; }
      var bySize = inOrder.slice().sort(function (a, b) { return a.size - b.size; });
      var results = [];
      bySize[0].forEach(function (first, id) {
        if (category >= 0 && m.category_of.charCodeAt(id) - 48 !== category) { return; }
        if (year >= 0 && m.year_of.charCodeAt(id) - 48 !== year) { return; }
        var score = { id: id, w: 0, x: 0 };
        var previous = -2;
        for (var i = 0; i < inOrder.length; i++) {
          var h = inOrder[i].get(id);
          if (!h) { return; }
          score.w += h.w + (h.p >= 0 && previous >= 0 && h.p === previous + 1 ? 2 : 0);
          score.x += h.x;
          previous = h.p;
        }
        results.push(score);
      });
      results.sort(function (a, b) { return (b.x - a.x) || (b.w - a.w) || (a.id - b.id); });
      return results.map(function (r) { return r.id; });
    });
  }

  function records(m, idList) {
    return Promise.all(idList.map(function (id) {
      return getJSON(m.version + "/r" + Math.floor(id / m.chunk) + ".json").then(function (chunk) {
        var row = chunk[id % m.chunk];
        var c = m.category_of.charCodeAt(id) - 48;
        return { url: row[0], title: row[1], date: row[2], summary: row[3], category: m.categories[c] || "" };
      });
    }));
  }

  // Mark, in the text nodes of `root`, the words that match a query word without diacritics.
  function highlight(root, terms) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      var parts = node.textContent.split(/([\p{L}\p{N}]+)/u);
      if (parts.length < 2) { return; }
      var frag = document.createDocumentFragment();
      var changed = false;
      parts.forEach(function (part, i) {
        if (i % 2 === 1 && terms.indexOf(key(part.toLowerCase())) !== -1) {
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

  function append(items, terms) {
    items.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "portal-search__result";
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = new URL(data.url, siteRoot).href;
      a.textContent = data.title;
      h.appendChild(a);
      var info = document.createElement("p");
      info.className = "portal-search__meta";
      info.textContent = [data.date, data.category].filter(Boolean).join(" · ");
      var excerpt = document.createElement("p");
      excerpt.className = "portal-search__excerpt";
      excerpt.textContent = data.summary;
      highlight(h, terms);
      highlight(excerpt, terms);
      li.appendChild(h);
      li.appendChild(info);
      li.appendChild(excerpt);
      list.appendChild(li);
    });
  }

  function showMore() {
    var s = shown;
    var next = s.ids.slice(s.count, s.count + PAGE);
    return records(s.meta, next).then(function (items) {
      if (s !== shown) { return; }  // a newer search replaced this one
      var firstNew = list.children.length;
      append(items, s.terms);
      s.count += next.length;
      more.hidden = s.count >= s.ids.length;
      status.textContent = s.ids.length > s.count
        ? "Tìm thấy " + s.ids.length + " bài viết; đang hiện " + s.count + " bài phù hợp nhất."
        : "Tìm thấy " + s.ids.length + " bài viết.";
      if (firstNew > 0 && list.children[firstNew]) { list.children[firstNew].querySelector("a").focus(); }
    });
  }

  function search(query, categoryName, yearName) {
    return loadMeta().then(function (m) {
      var year = yearName && m.years ? m.years.indexOf(Number(yearName)) : -1;
      if (yearName && year < 0) { return { meta: m, ids: [] }; }  // no article of that year
      return rank(m, query, m.categories.indexOf(categoryName), year).then(function (found) {
        return { meta: m, ids: found };
      });
    });
  }

  function run() {
    var query = input.value.trim();
    var category = select.value;
    var year = yearSelect ? yearSelect.value : "";
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    if (category) { params.set("chuyen-muc", category); }
    if (year) { params.set("nam", year); }
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    list.textContent = "";
    more.hidden = true;
    shown = null;
    if (!words(query).length) {
      status.textContent = "Nhập từ khoá để tìm bài viết.";
      return Promise.resolve();
    }
    status.textContent = "Đang tìm…";
    var attempt = function (retry) {
      return search(query, category, year).catch(function (err) {
        if (!retry) { throw err; }
        // a new version was published between meta.json and its files: start again
        return attempt(false);
      });
    };
    return attempt(true).then(function (found) {
      if (!found.ids.length) {
        status.textContent = "Không tìm thấy bài viết nào cho “" + query + "”" + (category ? " trong chuyên mục " + category : "") + (year ? " năm " + year : "") + ".";
        return;
      }
      shown = { meta: found.meta, ids: found.ids, count: 0, terms: words(query).map(key) };
      return showMore();
    }).catch(function () {
      status.textContent = "Chưa tìm được: không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  select.value = params.get("chuyen-muc") || "";
  if (yearSelect) { yearSelect.value = params.get("nam") || ""; }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  select.addEventListener("change", function () { if (input.value.trim()) { run(); } });
  if (yearSelect) { yearSelect.addEventListener("change", function () { if (input.value.trim()) { run(); } }); }
  more.addEventListener("click", function () { if (shown) { showMore(); } });
  if (input.value) { run(); } else { input.focus(); }
})();
