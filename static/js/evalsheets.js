// Charts: each chart box (evalsheets/lib/charts.py render_figure) names the JSON of its figure; plotly.js is
// loaded deferred on pages with charts only, before this script, so both run after the page is parsed.
(function () {
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-figure]").forEach(function (box) {
      var source = document.getElementById(box.dataset.figure);
      if (!source || box.classList.contains("js-plotly-plot")) return;
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(box, figure.data, figure.layout, figure.config);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

// Charts are redrawn at their width on paper while the page is printed, and given back to the screen after.
// Plotly draws each chart at a fixed pixel width for the screen; a printed page is laid out at the
// paper's width (A4 less print.css's 10 mm side margins = 190 mm), so without this the right part of
// every chart is cut off. Plotly.Plots.resize cannot do it: it waits 100 ms, after the page is printed.
(function () {
  var PAPER_WIDTH = "190mm"; // print.css: @page A4 portrait, margin 12mm 10mm
  var GRID_GAP = "3mm"; // print.css: .chart-grid gap

  function pixels(length) {
    var probe = document.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;width:" + length;
    document.body.appendChild(probe);
    var width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  }

  function charts() {
    return window.Plotly ? document.querySelectorAll(".js-plotly-plot") : [];
  }

  function forPaper() {
    var paper = pixels(PAPER_WIDTH);
    var half = (paper - pixels(GRID_GAP)) / 2;
    charts().forEach(function (el) {
      if (!el._screenSize) el._screenSize = { width: el.layout.width, height: el.layout.height };
      // both width and height set: plotly's own resize handler leaves the chart alone meanwhile
      var width = Math.floor(el.closest(".chart-grid") ? half : paper);
      window.Plotly.relayout(el, { width: width, height: el._fullLayout.height });
    });
  }

  function forScreen() {
    charts().forEach(function (el) {
      if (!el._screenSize) return;
      var size = el._screenSize;
      delete el._screenSize;
      window.Plotly.relayout(el, { width: size.width === undefined ? null : size.width,
                                   height: size.height === undefined ? null : size.height });
    });
  }

  var media = window.matchMedia ? window.matchMedia("print") : null;
  window.addEventListener("beforeprint", forPaper);
  window.addEventListener("afterprint", function () { if (!media || !media.matches) forScreen(); });
  if (media && media.addEventListener) {
    media.addEventListener("change", function (event) { (event.matches ? forPaper : forScreen)(); });
  }
})();

// A table wider than its .table-scroll box scrolls sideways inside it. Such a box is made focusable
// (a named region) so that it can be scrolled from the keyboard, and made plain again when the table fits.
(function () {
  function name(box) {
    var table = box.querySelector("table");
    if (table && table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
    var section = box.closest("section");
    if (!section) return "表";
    var found = section.getAttribute("aria-label") || "";
    section.querySelectorAll("h2, h3").forEach(function (heading) { // the last heading before the box
      if (heading.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) found = heading.textContent;
    });
    return found.trim() || "表";
  }

  function update() {
    var used = {};
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var label = name(box);
        used[label] = (used[label] || 0) + 1;
        if (used[label] > 1) label += "（" + used[label] + "）";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label + "：横にスクロールできる表");
        box.dataset.scrollRegion = "1";
      } else if (box.dataset.scrollRegion) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (attr) { box.removeAttribute(attr); });
      }
    });
  }

  var timer = null;
  update();
  window.addEventListener("load", update);
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
})();

// A search box that hides the checkbox choices (e.g. programs on /compare/) whose label does not contain its text.
(function () {
  document.querySelectorAll(".js-filter-choices").forEach(function (box) {
    var target = document.getElementById(box.dataset.target);
    if (!target) return;
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      target.querySelectorAll("label").forEach(function (label) {
        var checked = label.querySelector("input") && label.querySelector("input").checked;
        label.hidden = Boolean(text) && !checked && label.textContent.toLowerCase().indexOf(text) === -1;
      });
    });
  });
})();
