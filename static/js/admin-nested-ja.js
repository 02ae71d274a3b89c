/* django-nested-admin prints its remove link as the English word "Remove" in its templates (no translation):
   the rows' templates get 削除 once, so every row added from them says it too. */
(function () {
  "use strict";
  function translate() {
    document.querySelectorAll("a.djn-remove-handler").forEach(function (link) {
      if (link.textContent.trim() === "Remove") { link.textContent = "削除"; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", translate);
  } else {
    translate();
  }
})();
