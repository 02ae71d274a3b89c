// Charts follow their container when the page is printed (A4 is narrower than most screens).
(function () {
  function resizeCharts() {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) { window.Plotly.Plots.resize(el); });
  }
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);
  if (window.matchMedia) {
    var media = window.matchMedia("print");
    if (media.addEventListener) media.addEventListener("change", resizeCharts);
  }
})();
