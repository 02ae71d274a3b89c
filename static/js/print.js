// Printing the sheet and program pages like the form (static/css/print.css): the charts marked data-print-columns="n"
// (templates) print small, n to a row or beside their table. Runs after evalsheets.js, whose handler has just drawn
// every chart at its width on paper (and gives them back to the screen after printing); this one then draws the
// marked charts larger than their box and print.css scales them down by PRINT_ZOOM, so that titles, legends and axes
// keep the room plotly needs, in smaller print. No inline script anywhere: the CSP allows script-src 'self' only.
(function () {
  var PRINT_ZOOM = 0.62; // print.css: [data-print-columns] .js-plotly-plot { zoom: 0.62 }
  var PRINT_ASPECT = 0.75; // height / width of the small printed charts

  function small() {
    var measures = window.evalsheetsPaper; // evalsheets.js: A4 less the margins, the gap between charts
    if (!window.Plotly || !measures) return;
    var paper = measures.pixels(measures.width);
    var gap = measures.pixels(measures.gap);
    document.querySelectorAll("[data-print-columns] .js-plotly-plot").forEach(function (el) {
      var n = Number(el.closest("[data-print-columns]").dataset.printColumns) || 1;
      var width = Math.floor((paper - (n - 1) * gap) / n / PRINT_ZOOM);
      var height = Math.min(el._screenSize && el._screenSize.height || el._fullLayout.height, Math.round(width * PRINT_ASPECT));
      window.Plotly.relayout(el, { width: width, height: height });
    });
  }

  var media = window.matchMedia ? window.matchMedia("print") : null;
  window.addEventListener("beforeprint", small);
  if (media && media.addEventListener) {
    media.addEventListener("change", function (event) { if (event.matches) small(); });
  }
})();
