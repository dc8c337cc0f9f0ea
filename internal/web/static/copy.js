// Copy buttons: button[data-copy="id"] copies the text of the element with
// that id. The button stays hidden without JavaScript or a clipboard, where
// the text can still be selected and copied by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    var source = document.getElementById(b.getAttribute("data-copy"));
    if (!source) return;
    var status = b.parentNode.querySelector("[data-copy-status]");
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) status.textContent = "Copied.";
      }, function () {
        if (status) status.textContent = "Could not copy: select the link and copy it by hand.";
      });
    });
  });
})();
