// The document library's registry: filters every document (danh-sach.json, fetched the first time
// a reader uses a filter or opens a filtered address) by type, issuer, year, field, status and
// keywords, as the reader types; the choices stay in the address (?loai=…&nam=…) to be shared.
(function () {
  "use strict";
  var root = document.querySelector("[data-portal-registry]");
  if (!root) return;
  var form = root.querySelector(".portal-registry__filters");
  var status = root.querySelector(".portal-registry__count");
  var table = root.querySelector(".portal-registry__table tbody");
  if (!form || !status) return;
  var base = root.getAttribute("data-portal-base");
  var names = ["q", "loai", "co-quan", "nam", "linh-vuc", "tinh-trang"];
  var rows = null;
  var loading = null;
  form.hidden = false;

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function slug(text) {
    return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function load() {
    if (!loading) {
      loading = fetch(root.getAttribute("data-portal-registry"))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          rows = data.rows;
          rows.forEach(function (row) {
            row.x = fold([row.n, row.n.replace(/[\/-]/g, " "), row.s, row.i, row.g, row.t].join(" "));
          });
        });
    }
    return loading;
  }
  function chosen() {
    var values = {};
    names.forEach(function (name) {
      var field = form.elements[name];
      values[name] = field ? field.value.trim() : "";
    });
    return values;
  }
  function matches(row, v, words) {
    if (v.loai && row.tk !== v.loai) return false;
    if (v["co-quan"] && row.ik !== v["co-quan"]) return false;
    if (v.nam && String(row.y) !== v.nam) return false;
    if (v["linh-vuc"] && row.k.indexOf(v["linh-vuc"]) < 0) return false;
    if (v["tinh-trang"] && slug(row.st) !== v["tinh-trang"]) return false;
    for (var i = 0; i < words.length; i++) if (row.x.indexOf(words[i]) < 0) return false;
    return true;
  }
  function cell(tr, text) {
    var td = document.createElement("td");
    if (text !== undefined) td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  var SHOWN = 25;  // rows drawn at a time: the table of every document would cost a phone seconds
  var more = document.createElement("button");
  more.type = "button";
  more.className = "md-button portal-registry__more";
  more.hidden = true;
  root.appendChild(more);
  var found = [];
  var drawn = 0;
  more.addEventListener("click", function () { render(drawn + SHOWN); });

  function render(count) {
    var body = document.createDocumentFragment();
    found.slice(drawn, count).forEach(function (row) {
      var tr = document.createElement("tr");
      var a = document.createElement("a");
      a.href = base + row.u;
      a.textContent = row.n;
      cell(tr).appendChild(a);
      var time = document.createElement("time");
      time.dateTime = row.iso;
      time.textContent = row.d;
      cell(tr).appendChild(time);
      cell(tr, row.s);
      cell(tr, row.t);
      cell(tr, row.i);
      var badge = document.createElement("span");
      badge.className = "portal-status portal-status--" + slug(row.st);
      badge.textContent = row.st;
      cell(tr).appendChild(badge);
      var files = cell(tr);
      row.f.forEach(function (f, i) {
        if (i) files.appendChild(document.createElement("br"));
        var link = document.createElement("a");
        link.href = base + f[0];
        link.setAttribute("download", "");
        link.textContent = f[1];
        files.appendChild(link);
        var size = document.createElement("small");
        size.textContent = " " + f[2];
        files.appendChild(size);
      });
      body.appendChild(tr);
    });
    if (drawn === 0) table.replaceChildren(body);
    else table.appendChild(body);
    drawn = Math.min(count, found.length);
    more.hidden = drawn >= found.length;
    more.textContent = "Hiện thêm " + Math.min(SHOWN, found.length - drawn) + " văn bản";
  }
  function apply(push) {
    load().then(function () {
      var v = chosen();
      var words = fold(v.q).split(/\s+/).filter(Boolean);
      found = rows.filter(function (row) { return matches(row, v, words); });
      var wrap = root.querySelector(".portal-table-wrap");
      var pager = document.querySelector(".portal-pager");
      if (!table) return;
      drawn = 0;
      render(SHOWN);
      if (pager) pager.hidden = true;
      if (wrap) wrap.hidden = found.length === 0;
      status.dataset.shown = v.q;  // what the table now shows (read by bench/documents.py)
      status.textContent = found.length
        ? "Có " + found.length + " văn bản"
        : "Không có văn bản nào phù hợp.";
      if (push) {
        var query = new URLSearchParams();
        names.forEach(function (name) { if (v[name]) query.set(name, v[name]); });
        var text = query.toString();
        history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
      }
    }).catch(function () {
      status.textContent = "Không tải được danh sách văn bản; hãy tải lại trang.";
    });
  }
  var start = new URLSearchParams(location.search);
  var any = false;
  names.forEach(function (name) {
    var field = form.elements[name];
    if (field && start.get(name)) { field.value = start.get(name); any = true; }
  });
  form.addEventListener("input", function () { apply(true); });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  form.addEventListener("focusin", load, { once: true });
  if (any) apply(false);
})();
