// /sheets/: on a phone the filters start closed behind the 絞り込み button (the chips above the table show the ones in use).
(function () {
  if (!window.matchMedia("(max-width: 700px)").matches) return;
  document.querySelectorAll("details.filter-panel").forEach(function (panel) {
    if (!panel.querySelector(".has-error")) panel.open = false;  // a form error stays in view
  });
})();
