// Progressive enhancement for list pages. Without it every page still works:
// the search form submits on Enter and filters apply with their button.
//  - form[data-live="id id"]: results follow the search box as you type
//    (debounced) and the filters as they change, by fetching the same
//    server-rendered page and swapping in the named parts; the URL follows.
//  - details[data-collapse-narrow]: closed on a phone-width screen.
//  - input[data-select-all]: ticks every row checkbox of its form.
//  - details[data-menu]: a menu that closes on a click elsewhere or Escape.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var narrow = window.matchMedia("(max-width: 720px)").matches;
  document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) {
    if (narrow) d.removeAttribute("open");
  });

  var form = document.querySelector("form[data-live]");
  if (form && window.fetch && window.DOMParser) {
    var parts = form.getAttribute("data-live").split(/\s+/);
    var timer = null, seq = 0;
    var refresh = function () {
      var params = new URLSearchParams(new FormData(form));
      params.forEach(function (v, k) { if (v === "") params.delete(k); });
      var url = form.getAttribute("action") + (params.toString() ? "?" + params : "");
      var mine = ++seq;
      fetch(url, { credentials: "same-origin" }).then(function (resp) {
        if (!resp.ok) throw new Error(resp.status);
        return resp.text();
      }).then(function (html) {
        if (mine !== seq) return; // a newer search is on its way
        var doc = new DOMParser().parseFromString(html, "text/html");
        var focused = document.activeElement && document.activeElement.id;
        parts.forEach(function (id) {
          var now = document.getElementById(id), next = doc.getElementById(id);
          if (!now || !next) return;
          // A panel left open (the column chooser) stays open when redrawn.
          now.querySelectorAll("details[id][open]").forEach(function (d) {
            var again = next.querySelector("#" + CSS.escape(d.id));
            if (again) again.setAttribute("open", "");
          });
          now.innerHTML = next.innerHTML;
        });
        if (focused && focused !== "q") {
          var el = document.getElementById(focused);
          if (el) el.focus();
        }
        var count = document.getElementById("ref-count") || document.querySelector("[data-count]");
        var live = document.getElementById("live-status");
        if (count && live) live.textContent = count.textContent;
        history.replaceState(null, "", url);
      }).catch(function () { form.submit(); });
    };
    var later = function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    };
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); refresh(); });
    form.addEventListener("input", function (e) { if (e.target.type === "search") later(); });
    document.addEventListener("change", function (e) {
      if (e.target.form === form && e.target.type !== "search") refresh();
    });
  }

  // Looked up at each event: a live update may have redrawn a menu.
  var openMenus = function () { return document.querySelectorAll("details[data-menu][open]"); };
  document.addEventListener("click", function (e) {
    openMenus().forEach(function (m) { if (!m.contains(e.target)) m.open = false; });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    openMenus().forEach(function (m) {
      var inside = m.contains(document.activeElement);
      m.open = false;
      if (inside) m.querySelector("summary").focus();
    });
  });

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!t.form || t.type !== "checkbox") return;
    // getAttribute: the form's "id" property would be its controls named "id".
    var boxes = document.querySelectorAll('input[type=checkbox][name=id][form="' + t.form.getAttribute("id") + '"]');
    var all = t.form.querySelector("input[data-select-all]");
    if (t.hasAttribute("data-select-all")) {
      boxes.forEach(function (b) { b.checked = t.checked; });
    } else if (t.name === "id" && all) {
      var n = 0;
      boxes.forEach(function (b) { if (b.checked) n++; });
      all.checked = n > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    } else {
      return;
    }
    var shown = t.form.querySelector("[data-bulk-count]");
    if (shown) {
      var k = 0;
      boxes.forEach(function (b) { if (b.checked) k++; });
      shown.textContent = k ? k + " selected." : "or tick references in the table.";
    }
    var more = t.form.querySelector("details[data-bulk-details]");
    if (more && t.checked) more.open = true;
  });
})();
