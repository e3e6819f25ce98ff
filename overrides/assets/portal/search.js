// The search page: reads ?q= (and ?chuyen-muc=, ?nam=) and what the reader types, looks the words
// up in the portal's static index (tim-kiem/chi-muc/, written by chibo/search.py), lists the
// results with an excerpt around the match. The last word as typed is matched as the beginning of
// a word ("nen mon" finds "nền móng"). The index's files are fetched only when a search is made.
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
  var PAUSE = 120;       // ms without typing before a search starts
  var PREFIX_FILES = 3;  // words files a half-typed last word may take (see filesFor)
  var EXCERPT = 32;      // words in an excerpt
  var files = {};   // path under a version's folder -> promise of its JSON (they never change)
  var shown = null; // the current query's ranked ids and how many are on the page
  var latest = 0;   // the newest search started: an older one that finishes later is dropped
  var timer = 0;
  var keys = new Map();  // word as written -> its key, for excerpts and highlights

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function words(text) {
    return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  // The same key as chibo/search.py: folded, letters and digits only.
  function key(word) {
    var known = keys.get(word);
    if (known === undefined) {
      var parts = fold(word).match(/[a-z0-9]+/g);
      known = parts ? parts.join("") : word;
      keys.set(word, known);
    }
    return known;
  }

  // What was typed, as terms: each word's key, and whether it is the last word still being typed
  // (the query ends with it), which matches the words that begin with it.
  function terms(query) {
    var typed = Array.from(new Set(words(query))).slice(0, 10);
    var open = /[\p{L}\p{N}]$/u.test(query);
    return typed.map(function (w, i) {
      return { word: w, key: key(w), prefix: open && i === typed.length - 1 };
    });
  }

  // The index of the term a word of a text matches, or -1.
  function matcher(wanted) {
    var match = function (word) {
      var k = key(word.toLowerCase());
      for (var i = 0; i < wanted.length; i++) {
        if (wanted[i].skip) { continue; }
        if (k === wanted[i].key || (wanted[i].prefix && k.lastIndexOf(wanted[i].key, 0) === 0)) { return i; }
      }
      return -1;
    };
    match.count = wanted.filter(function (term) { return !term.skip; }).length;  // the terms matched
    return match;
  }

  // The words file that holds a key: the last one whose first key is not after it.
  function fileOf(m, wordKey) {
    var lo = 0, hi = m.words.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.words[mid] <= wordKey) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
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
  var knownMeta = null;  // promise of the meta.json last asked for (null if that failed)
  function loadMeta() {
    var fresh = fetchJSON("meta.json", { cache: "no-cache" });
    knownMeta = fresh.catch(function () { return null; });
    return fresh;
  }

  // The words files to read for a term: the one that holds its key, and for the last word as
  // typed the next ones as long as they begin with it. A beginning that many words share (one
  // or two letters: more than PREFIX_FILES files) is left out until more is typed, or matched
  // whole when it is all there is.
  function filesFor(m, term, alone) {
    var first = fileOf(m, term.key), last = first;
    if (term.prefix) {
      while (last + 1 < m.words.length && m.words[last + 1].lastIndexOf(term.key, 0) === 0) { last++; }
      if (last - first + 1 > PREFIX_FILES) {
        last = first;
        term.prefix = false;
        term.skip = !alone;
        if (term.skip) { return Promise.resolve([]); }
      }
    }
    var out = [];
    for (var n = first; n <= last; n++) { out.push(getJSON(m.version + "/w" + n + ".json")); }
    return Promise.all(out);
  }

  // An array of the index as an object, by the names meta.json gives its positions.
  function named(names, values) {
    var out = {};
    for (var i = 0; i < names.length; i++) { out[names[i]] = values[i]; }
    return out;
  }

  // The records that have a term, in arrays indexed by record (fast at 10,000 records): w the
  // weight (0: not there), x whether typed diacritics matched, p the place in the headline.
  function hitsOf(m, term, alone) {
    return filesFor(m, term, alone).then(function (loaded) {
      if (term.skip) { return null; }
      var n = m.records;
      var hit = { ids: [], w: new Float32Array(n), x: new Uint8Array(n), p: new Int16Array(n).fill(-1) };
      var typedMarks = fold(term.word) !== term.word;
      var add = function (id, weight, exact, place) {
        if (hit.w[id] === 0) {
          hit.ids.push(id);
          hit.w[id] = weight;
          hit.x[id] = exact;
          hit.p[id] = place;
          return;
        }
        if (weight > hit.w[id]) { hit.w[id] = weight; }
        if (exact > hit.x[id]) { hit.x[id] = exact; }
        if (place >= 0 && (hit.p[id] < 0 || place < hit.p[id])) { hit.p[id] = place; }
      };
      loaded.forEach(function (file) {
        Object.keys(file).forEach(function (k) {
          var whole = k === term.key;
          if (!whole && !(term.prefix && k.lastIndexOf(term.key, 0) === 0)) { return; }
          var bonus = whole ? 0 : -0.5;  // a word that only begins with what was typed
          var variants = file[k];
          Object.keys(variants).forEach(function (written) {
            var exact = typedMarks && (whole ? written === term.word : written.lastIndexOf(term.word, 0) === 0) ? 1 : 0;
            // the lists as meta.json names them (chibo/search.py: POSTING)
            var posting = named(m.posting, variants[written]), id = 0, i;
            var strong = posting.strong || [], places = posting.places || "";
            for (i = 0; i < strong.length; i++) {
              id += strong[i];
              add(id, 3 + bonus, exact, places.charCodeAt(i) - 48);
            }
            id = 0;
            for (i = 0; posting.other && i < posting.other.length; i++) {
              id += posting.other[i];
              add(id, 1 + bonus, exact, -1);
            }
            id = 0;
            for (i = 0; posting.often && i < posting.often.length; i++) {
              id += posting.often[i];
              add(id, 1.5 + bonus, exact, -1);
            }
          });
        });
      });
      return hit;
    });
  }

  // Every query word must match (without diacritics); a word typed with diacritics that
  // matches as written ranks first, then matches in the headline, tags or author (more for
  // query words that stand next to each other in the headline), then words the body repeats,
  // then newest.
  function rank(m, wanted, category, year) {
    return Promise.all(wanted.map(function (term) { return hitsOf(m, term, wanted.length === 1); })).then(function (all) {
      var inOrder = all.filter(Boolean);
      if (!inOrder.length) { return []; }
      var smallest = inOrder.reduce(function (a, b) { return b.ids.length < a.ids.length ? b : a; });
      var results = [];
      smallest.ids.forEach(function (id) {
        if (category >= 0 && m.category_of.charCodeAt(id) - 48 !== category) { return; }
        if (year >= 0 && m.year_of.charCodeAt(id) - 48 !== year) { return; }
        var score = { id: id, w: 0, x: 0 };
        var previous = -2;
        for (var i = 0; i < inOrder.length; i++) {
          var h = inOrder[i];
          if (h.w[id] === 0) { return; }
          score.w += h.w[id] + (h.p[id] >= 0 && previous >= 0 && h.p[id] === previous + 1 ? 2 : 0);
          score.x += h.x[id];
          previous = h.p[id];
        }
        results.push(score);
      });
      results.sort(function (a, b) { return (b.x - a.x) || (b.w - a.w) || (a.id - b.id); });
      return results.map(function (r) { return r.id; });
    });
  }

  function record(m, id) {
    return getJSON(m.version + "/r" + Math.floor(id / m.chunk) + ".json").then(function (chunk) {
      var row = named(m.result, chunk[id % m.chunk]);  // chibo/search.py: RESULT
      var c = m.category_of.charCodeAt(id) - 48;
      return { url: row.url, title: row.title, date: row.day, summary: row.summary, text: row.text || "", category: m.categories[c] || "" };
    });
  }

  function records(m, idList) {
    return Promise.all(idList.map(function (id) { return record(m, id); }));
  }

  // The passage of `text` (EXCERPT words) with the most different query words, closest together
  // (the scan stops at the first passage that has them all); without any, the summary or the
  // text's beginning.
  function excerpt(data, match) {
    var tokens = data.text.split(/([\p{L}\p{N}]+)/u);  // odd places: the words
    var count = (tokens.length - 1) / 2;
    var found = [], seen = new Map(), best = null, l = 0;
    for (var n = 0; n < count && !(best && best.distinct === match.count); n++) {
      var t = match(tokens[2 * n + 1]);
      if (t < 0) { continue; }
      found.push({ n: n, t: t });
      seen.set(t, (seen.get(t) || 0) + 1);
      while (n - found[l].n >= EXCERPT) {
        var left = seen.get(found[l].t) - 1;
        if (left) { seen.set(found[l].t, left); } else { seen.delete(found[l].t); }
        l++;
      }
      var span = n - found[l].n;
      if (!best || seen.size > best.distinct || (seen.size === best.distinct && span < best.span)) {
        best = { from: found[l].n, distinct: seen.size, span: span };
      }
    }
    if (!best) {
      if (data.summary) { return data.summary; }
      return tokens.slice(0, Math.min(tokens.length, 2 * EXCERPT)).join("").trim() + (count > EXCERPT ? " …" : "");
    }
    var start = Math.max(0, best.from - Math.min(6, Math.floor((EXCERPT - best.span - 1) / 2)));
    var end = Math.min(count, start + EXCERPT);
    start = Math.max(0, Math.min(start, end - EXCERPT));
    return (start > 0 ? "… " : "") + tokens.slice(2 * start + 1, 2 * end).join("") + (end < count ? " …" : "");
  }

  // Mark, in the text nodes of `root`, the words that match a query word (made as text, never HTML).
  function highlight(root, match) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      var parts = node.textContent.split(/([\p{L}\p{N}]+)/u);
      if (parts.length < 2) { return; }
      var frag = document.createDocumentFragment();
      var changed = false;
      parts.forEach(function (part, i) {
        if (i % 2 === 1 && match(part) >= 0) {
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

  function item(data, match) {
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
    var passage = document.createElement("p");
    passage.className = "portal-search__excerpt";
    passage.textContent = excerpt(data, match);
    highlight(h, match);
    highlight(passage, match);
    li.appendChild(h);
    li.appendChild(info);
    li.appendChild(passage);
    return li;
  }

  function say(s) {
    status.textContent = s.ids.length > s.count
      ? "Tìm thấy " + s.ids.length + " bài viết; đang hiện " + s.count + " bài phù hợp nhất."
      : "Tìm thấy " + s.ids.length + " bài viết.";
  }

  function showMore() {
    var s = shown;
    var next = s.ids.slice(s.count, s.count + PAGE);
    return records(s.meta, next).then(function (items) {
      if (s !== shown) { return; }  // a newer search replaced this one
      var firstNew = list.children.length;
      items.forEach(function (data) { list.appendChild(item(data, s.match)); });
      s.count += next.length;
      more.hidden = s.count >= s.ids.length;
      say(s);
      if (list.children[firstNew]) { list.children[firstNew].querySelector("a").focus(); }
    });
  }

  function searchWith(m, wanted, categoryName, yearName) {
    var year = yearName && m.years ? m.years.indexOf(Number(yearName)) : -1;
    if (yearName && year < 0) { return Promise.resolve({ meta: m, ids: [] }); }  // no article of that year
    return rank(m, wanted, m.categories.indexOf(categoryName), year).then(function (found) {
      return { meta: m, ids: found };
    });
  }

  // Searched with the meta.json known already while it is asked for again; the results are kept
  // only if it has not changed since (else searched again, in the new version).
  function search(wanted, categoryName, yearName) {
    var known = knownMeta;
    var fresh = loadMeta();
    var early = known ? known.then(function (m) {
      return m ? searchWith(m, wanted, categoryName, yearName).catch(function () { return null; }) : null;
    }) : Promise.resolve(null);
    return Promise.all([fresh, early]).then(function (both) {
      var m = both[0], found = both[1];
      if (found && found.meta.version === m.version) { return found; }
      return searchWith(m, wanted, categoryName, yearName);
    });
  }

  function run() {
    clearTimeout(timer);
    var raw = input.value;
    var query = raw.trim();
    var category = select.value;
    var year = yearSelect ? yearSelect.value : "";
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    if (category) { params.set("chuyen-muc", category); }
    if (year) { params.set("nam", year); }
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    var mine = ++latest;
    var wanted = terms(raw);
    if (!wanted.length) {
      shown = null;
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Nhập từ khoá để tìm bài viết.";
      return Promise.resolve();
    }
    status.textContent = "Đang tìm…";
    var attempt = function (retry) {
      return search(wanted, category, year).catch(function (err) {
        if (!retry) { throw err; }
        // a new version was published between meta.json and its files: start again
        return attempt(false);
      });
    };
    return attempt(true).then(function (found) {
      if (mine !== latest) { return; }
      var s = { meta: found.meta, ids: found.ids, count: 0, match: matcher(wanted) };
      if (!s.ids.length) {
        shown = null;
        list.textContent = "";
        more.hidden = true;
        status.textContent = "Không tìm thấy bài viết nào cho “" + query + "”" + (category ? " trong chuyên mục " + category : "") + (year ? " năm " + year : "") + ".";
        return;
      }
      // Each result is shown as soon as it and those above it are loaded; the previous results
      // stay until then (no flicker while typing).
      var loading = s.ids.slice(0, PAGE).map(function (id) { return record(s.meta, id); });
      var chain = Promise.resolve();
      loading.forEach(function (pending) {
        chain = chain.then(function () { return pending; }).then(function (data) {
          if (mine !== latest) { return; }
          if (shown !== s) {
            shown = s;
            list.textContent = "";
            more.hidden = true;
          }
          list.appendChild(item(data, s.match));
          s.count++;
        });
      });
      return chain.then(function () {
        if (mine !== latest) { return; }
        more.hidden = s.count >= s.ids.length;
        say(s);
      });
    }).catch(function () {
      if (mine === latest) { status.textContent = "Chưa tìm được: không tải được chỉ mục tìm kiếm. Hãy thử lại sau."; }
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, PAUSE);
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  select.value = params.get("chuyen-muc") || "";
  if (yearSelect) { yearSelect.value = params.get("nam") || ""; }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", later);
  select.addEventListener("change", function () { if (input.value.trim()) { run(); } });
  if (yearSelect) { yearSelect.addEventListener("change", function () { if (input.value.trim()) { run(); } }); }
  more.addEventListener("click", function () { if (shown) { showMore(); } });
  if (input.value) { run(); } else { input.focus(); loadMeta(); }
})();
