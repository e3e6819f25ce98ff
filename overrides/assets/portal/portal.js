// Print and copy-link buttons of an article; the page works without this file.
(function () {
  "use strict";
  document.querySelectorAll("[data-portal-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-portal-copy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var status = link.parentNode.querySelector(".portal-copy__status");
      if (!navigator.clipboard) { return; }  // plain link: the reader copies it by hand
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(function () {
        if (status) { status.textContent = "Đã sao chép liên kết."; }
      }, function () {
        if (status) { status.textContent = "Không sao chép được; hãy sao chép địa chỉ trên thanh trình duyệt."; }
      });
    });
  });
})();

// "/" or "s" focuses the search box, as in Material; elsewhere the search page opens.
document.addEventListener("keydown", function (event) {
  "use strict";
  if ((event.key !== "/" && event.key !== "s") || event.ctrlKey || event.metaKey || event.altKey) { return; }
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
  var box = document.getElementById("portal-search-q") || document.querySelector("[data-portal-search-input]");
  if (box && box.offsetParent !== null) {
    event.preventDefault();
    box.focus();
  } else {
    var link = document.querySelector(".portal-search-link");
    if (link) { event.preventDefault(); link.click(); }
  }
});

// "A- A A+": the reading size of the text, kept on this device only (no cookie).
(function () {
  "use strict";
  var STEPS = [0.85, 1, 1.15, 1.3, 1.5];
  var root = document.documentElement;
  var step = 1;
  try { step = Math.max(0, Math.min(STEPS.length - 1, parseInt(localStorage.getItem("chibo-font") || "1", 10))); } catch (e) { step = 1; }
  function apply() {
    root.style.setProperty("--portal-font-scale", String(STEPS[step]));
    try { localStorage.setItem("chibo-font", String(step)); } catch (e) { /* private mode: size for this page only */ }
  }
  if (step !== 1) { apply(); }
  document.querySelectorAll("[data-portal-font]").forEach(function (button) {
    button.addEventListener("click", function () {
      var delta = parseInt(button.getAttribute("data-portal-font"), 10);
      step = delta === 0 ? 1 : Math.max(0, Math.min(STEPS.length - 1, step + delta));
      apply();
    });
  });
})();

// A YouTube video in a body: a plain link until the reader asks for the player, so that
// nothing contacts YouTube before the click (then only youtube-nocookie.com).
(function () {
  "use strict";
  document.querySelectorAll(".portal-video[data-portal-youtube]").forEach(function (box) {
    var id = box.getAttribute("data-portal-youtube");
    var link = box.querySelector("a");
    if (!/^[A-Za-z0-9_-]{11}$/.test(id || "") || !link) { return; }
    var fallback = link.parentNode;  // the plain link stays for print
    var button = document.createElement("button");
    button.type = "button";
    button.className = "portal-video__play";
    button.textContent = "▶ Phát video: " + link.textContent;
    var note = document.createElement("p");
    note.className = "portal-video__note";
    note.textContent = "Video phát từ YouTube; trang chỉ kết nối tới YouTube khi bạn bấm nút.";
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1";
      frame.title = link.textContent;
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.className = "portal-video__frame";
      box.replaceChildren(frame);
      frame.focus();
    });
    fallback.className = "portal-video__link";
    box.classList.add("portal-video--ready");
    box.replaceChildren(button, note, fallback);
  });
})();

// The rating: one event (danh-gia/<value>/<page>, nothing else) to the body's counter when
// the reader sends a choice; this browser keeps only that the page was rated.
(function () {
  "use strict";
  var box = document.querySelector("[data-portal-rating]");
  var cfg;
  try { cfg = JSON.parse(document.getElementById("portal-counter-config").textContent); } catch (e) { return; }
  if (!box || !window.fetch || !cfg.url) { return; }
  var local = /^(localhost|127\.|\[?::1\]?$)/.test(location.hostname);
  if (local && !cfg.allowLocal) { return; }
  var page = box.getAttribute("data-portal-rating"), events = box.getAttribute("data-portal-rating-events");
  var key = "portal-rated:" + page;
  var status = box.querySelector(".portal-rating__status");
  var form = box.querySelector("form");
  function thank(value) {
    form.hidden = true;
    status.textContent = "Cảm ơn bạn đã đánh giá (" + value + "/5).";
  }
  var done = null;
  try { done = localStorage.getItem(key); } catch (e) { /* private mode: ask */ }
  box.hidden = false;
  if (done) { thank(done); return; }
  form.addEventListener("change", function (event) {
    form.querySelector(".portal-rating__choices").setAttribute("data-value", event.target.value);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = form.querySelector("input:checked");
    if (!chosen) { status.textContent = "Hãy chọn từ 1 đến 5 sao trước khi gửi."; return; }
    var value = chosen.value;
    form.querySelector("button").disabled = true;
    var query = "p=" + encodeURIComponent(events + "/" + value + "/" + page) + "&e=true&rnd=" +
      Math.random().toString(36).slice(2);
    fetch(cfg.url + "/count?" + query, { mode: "no-cors", credentials: "omit", cache: "no-store", keepalive: true })
      .catch(function () {});
    try { localStorage.setItem(key, value); } catch (e) { /* remembered for this visit only */ }
    thank(value);
  });
})();

// An address of the old site with its query ("?option=com_content&view=article&id=12", "?start=10"):
// the script that knows the old site's addresses takes the reader on.
(function () {
  "use strict";
  if (!/[?&](?:option=com_content|view=|start=|limitstart=|format=feed|task=view)/.test(location.search)) { return; }
  var own = document.currentScript;
  var script = document.createElement("script");
  script.src = (own ? own.src.replace(/portal\.js(?:[?#].*)?$/, "") : "") + "dia-chi-cu.js";
  document.head.appendChild(script);
})();
