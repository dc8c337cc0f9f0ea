// Progressive enhancement of the nomination form: as the account, name,
// email and CRM id are typed, the likely duplicates Vouch knows are shown
// under them (fetched as JSON from the form's data-duplicates address).
// Without it the form still works: the nomination's page lists them.
(function () {
  "use strict";
  var form = document.querySelector("form[data-duplicates]");
  var box = document.getElementById("duplicates");
  if (!form || !box || !window.fetch) return;
  var fields = ["account_name", "name", "email", "crm_id"];
  var timer = null, seq = 0;

  var show = function (list) {
    box.textContent = "";
    if (!list.length) { box.hidden = true; return; }
    var p = document.createElement("p");
    p.className = "notice";
    p.setAttribute("role", "status");
    p.textContent = "Possible duplicates: check these before you nominate.";
    box.appendChild(p);
    var ul = document.createElement("ul");
    ul.className = "duplicate-list";
    list.forEach(function (d) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "pill pill-muted";
      kind.textContent = d.kind.charAt(0).toUpperCase() + d.kind.slice(1);
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      var label = document.createElement(d.link ? "a" : "span");
      if (d.link) label.href = d.link;
      label.textContent = d.label;
      li.appendChild(label);
      var why = document.createElement("span");
      why.className = "muted small";
      why.textContent = " — " + d.reasons.join("; ");
      li.appendChild(why);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.hidden = false;
  };

  var check = function () {
    var params = new URLSearchParams();
    var any = false;
    fields.forEach(function (f) {
      var el = form.elements[f];
      if (el && el.value.trim()) { params.set(f, el.value.trim()); any = true; }
    });
    if (!any) { show([]); return; }
    var mine = ++seq;
    fetch(form.getAttribute("data-duplicates") + "?" + params, { credentials: "same-origin" })
      .then(function (resp) { if (!resp.ok) throw new Error(resp.status); return resp.json(); })
      .then(function (data) { if (mine === seq) show(data.duplicates || []); })
      .catch(function () { /* the nomination page lists duplicates anyway */ });
  };

  fields.forEach(function (f) {
    var el = form.elements[f];
    if (!el) return;
    el.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    });
  });
  check();
})();
