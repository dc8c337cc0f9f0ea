// "Use this" on a content item, enhanced: "Copy link" copies the link to
// the clipboard and records the use in the background, so the seller stays
// on the page. Without this script (or a clipboard) the form posts and the
// page shows the link to copy by hand.
(function () {
  "use strict";
  var form = document.querySelector("form[data-copy]");
  var button = form && form.querySelector("[data-copy-button]");
  if (!button || !navigator.clipboard || !window.fetch) return;
  var status = form.querySelector("[data-copy-status]");
  button.addEventListener("click", function (e) {
    e.preventDefault();
    var link = form.getAttribute("data-copy");
    navigator.clipboard.writeText(link).then(function () {
      var body = new URLSearchParams(new FormData(form));
      body.set("kind", "copy_link");
      return fetch(form.getAttribute("action"), {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-Requested-With": "fetch" }
      });
    }).then(function (resp) {
      if (!resp.ok) throw new Error(resp.status);
      if (status) status.textContent = "Link copied — the use is recorded.";
    }).catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); });
  });
})();
