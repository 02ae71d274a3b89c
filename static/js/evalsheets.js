// Charts: each chart box (evalsheets/lib/charts.py render_figure) names the JSON of its figure; plotly.js is
// loaded deferred on pages with charts only, before this script, so both run after the page is parsed.
// After every drawing (first draw, a resize, the paper's width while printing) each chart is fitted to its width:
// plotly never wraps a title and keeps every tick it is given, so on a phone long titles run off the chart and
// year labels run into each other. Fitting wraps the title to the width drawn and keeps every n-th year label.
window.evalsheetsCharts = (function () {
  var BREAK_AFTER = "、，。）)：:・／/ 　";
  var BREAK_BEFORE = "（(＞";
  var WORD = /[0-9A-Za-z%.,０-９Ａ-Ｚａ-ｚ％－-]/;
  var YEAR = /^(明治|大正|昭和|平成|令和)?[0-9元]+年度/;
  var ERA_LETTERS = { 明治: "M", 大正: "T", 昭和: "S", 平成: "H", 令和: "R" };
  var NARROW = 560; // px: a chart narrower than this keeps only the PNG and reset buttons in its toolbar

  // A year label where space is short: 平成27年度 → H27, 令和3年度（見込み） → R3見込 (hover and tables keep the full name).
  function abbreviate(label) {
    return String(label)
      .replace(/(明治|大正|昭和|平成|令和)([0-9]+|元)年度/g, function (_m, era, year) { return ERA_LETTERS[era] + year; })
      .replace("（見込み）", "見込");
  }

  // The toolbar (modebar) stands at the top right of a chart, over the title's line: titles are wrapped short of it.
  function toolbarWidth(el) {
    var bar = el.querySelector(".modebar");
    return bar ? bar.getBoundingClientRect().width : 0;
  }

  function wrapLine(line, perLine) {
    var lines = [];
    var rest = line;
    while (rest.length > perLine) {
      var cut = perLine;
      for (var i = perLine; i > Math.floor(perLine * 0.55); i--) {
        if (BREAK_AFTER.indexOf(rest.charAt(i - 1)) !== -1 || BREAK_BEFORE.indexOf(rest.charAt(i)) !== -1) { cut = i; break; }
      }
      while (cut > 1 && WORD.test(rest.charAt(cut - 1)) && WORD.test(rest.charAt(cut))) cut--; // numbers and words whole
      if (cut <= 1) cut = perLine;
      if (rest.length - cut < 3 && rest.length > 6) cut = rest.length - 3; // no last line of one or two characters (管/理)
      lines.push(rest.slice(0, cut).trim());
      rest = rest.slice(cut).trim();
    }
    lines.push(rest);
    return lines;
  }

  // The title as written (plotly's "<br><sub>…" sub-title kept on its own line) wrapped to `perLine` characters.
  function wrapTitle(text, perLine) {
    return text.split("<br>").map(function (line) {
      return line.indexOf("<") === -1 ? wrapLine(line, perLine).join("<br>") : line;
    }).join("<br>");
  }

  function lineCount(text) {
    return text.split("<br>").length;
  }

  // The title wrapped to the width drawn (short of the toolbar). A title that takes more lines than written hangs from
  // the top of the chart (yref container, as the server does for charts with subplot titles), and the top margin and
  // the chart's height grow by the lines added, so the plot keeps its size: plotly's automargin does not follow a
  // paper-anchored title wrapped on a short chart (the overview's small multiples at 800 px were cut off at the top).
  // clearTitle then measures what was drawn and closes any gap that is still short.
  function fitTitle(el, update) {
    var title = el.layout.title;
    var drawn = el.querySelector(".gtitle");
    if (!title || !title.text || !drawn) return;
    if (el._titleSource === undefined) {
      var pad = title.pad || {};
      var full = el._fullLayout.title;
      el._titleSource = {
        text: title.text, yref: title.yref, y: title.y, yanchor: title.yanchor, automargin: title.automargin,
        padTop: pad.t, padBottom: pad.b, marginTop: el.layout.margin && el.layout.margin.t, height: el.layout.height,
        declaredTop: el._fullLayout.margin.t, lineHeight: 1.3 * ((full && full.font && full.font.size) || 18)
      };
    }
    var source = el._titleSource;
    if (!source.perChar) {
      // measured once, on the title as written: a character's width at the title's font size
      var longest = 0;
      drawn.querySelectorAll("tspan.line").forEach(function (line) { longest = Math.max(longest, line.getComputedTextLength()); });
      if (!longest) longest = drawn.getBBox().width;
      var chars = Math.max.apply(null, source.text.split("<br>").map(function (line) { return line.replace(/<[^>]+>/g, "").length; }));
      source.perChar = longest / Math.max(chars, 1);
    }
    var perLine = Math.max(6, Math.floor((el._fullLayout.width - 30 - toolbarWidth(el)) / source.perChar));
    var text = wrapTitle(source.text, perLine);
    if (text === title.text) return;
    update["title.text"] = text;
    var added = lineCount(text) - lineCount(source.text);
    var given = function (value) { return value === undefined ? null : value; };
    if (added <= 0) {
      // back as written (a wider chart: a phone turned, the print over)
      update["title.yref"] = given(source.yref);
      update["title.y"] = given(source.y);
      update["title.yanchor"] = given(source.yanchor);
      update["title.automargin"] = given(source.automargin);
      update["title.pad.t"] = given(source.padTop);
      update["title.pad.b"] = given(source.padBottom);
      update["margin.t"] = given(source.marginTop);
      update.height = given(source.height);
      return;
    }
    var grown = Math.round(source.lineHeight * added);
    var top = source.declaredTop + grown;
    if (source.yref !== "container") {
      // the first line was drawn just above the plot: now the whole title stands clear of it, hung from the top
      top = Math.max(top, Math.round(10 + source.lineHeight * lineCount(text) + (source.padBottom || 0)));
      update["title.yref"] = "container";
      update["title.y"] = 1;
      update["title.yanchor"] = "top";
      update["title.automargin"] = false;
      update["title.pad.t"] = 10;
      update["title.pad.b"] = 0;
    }
    update["margin.t"] = top;
    if (source.height) update.height = source.height + top - source.declaredTop;
  }

  // What stands below a title must start below it: the plot (with the top tick label, half above it), a subplot
  // title, the unit over the axis, an empty chart's message. Measured on the chart as drawn: the top margin and the
  // height grow by what is short (the plot keeps its size), and a title drawn above the chart comes down into it.
  var TITLE_GAP = 8; // px between a title's last line and what stands below it
  function clearTitle(el, update) {
    var drawn = el.querySelector(".gtitle");
    var svg = el.querySelector(".main-svg");
    if (!drawn || !svg || !drawn.textContent) return;
    var frame = svg.getBoundingClientRect();
    var title = drawn.getBoundingClientRect();
    if (!title.height) return;
    var layout = el._fullLayout;
    if (layout.title.yref !== "container") return; // evalsheets/lib/charts.py styled hangs every title from the top
    if (title.top < frame.top + 2) {
      update["title.pad.t"] = (layout.title.pad.t || 0) + Math.ceil(frame.top + 4 - title.top);
    }
    var below = frame.top + layout._size.t - 6; // the top y tick label stands half above the plot
    el.querySelectorAll(".infolayer .annotation").forEach(function (note) {
      var box = note.getBoundingClientRect();
      if (box.height && box.left < title.right && title.left < box.right && box.bottom > title.top) below = Math.min(below, box.top);
    });
    var short = Math.ceil(title.bottom + TITLE_GAP - below);
    if (short <= 1) return;
    update["margin.t"] = layout.margin.t + short;
    if (el.layout.height) update.height = el.layout.height + short;
  }

  // An axis of counts (evalsheets/lib/charts.py count_axis, tickformat ",d") ticks whole numbers: plotly picks a step of
  // 0.5 where a short axis (a phone) spans a few units, and ",d" would then print 0, 1, 1, 2 … — the step becomes 1.
  function fitCounts(el, update) {
    Object.keys(el._fullLayout).filter(function (key) { return /^yaxis\d*$/.test(key); }).forEach(function (key) {
      var axis = el._fullLayout[key];
      if (axis.tickformat === ",d" && axis.tickmode === "auto" && Number(axis.dtick) < 1) {
        update[key + ".tick0"] = 0;
        update[key + ".dtick"] = 1;
      }
    });
  }

  function overlapping(labels) {
    for (var i = 1; i < labels.length; i++) {
      if (labels[i - 1].right > labels[i].left - 4) return true;
    }
    return false;
  }

  function fitTicks(el, update) {
    Object.keys(el._fullLayout).filter(function (key) { return /^xaxis\d*$/.test(key); }).forEach(function (key) {
      var axis = el._fullLayout[key];
      var boxes = [].map.call(el.querySelectorAll("." + axis._id + "tick text"), function (t) { return t.getBoundingClientRect(); })
        .filter(function (b) { return b.width; })
        .sort(function (a, b) { return a.left - b.left; });
      if (boxes.length < 2 || !overlapping(boxes)) return;
      var total = boxes.reduce(function (sum, b) { return sum + b.width + 8; }, 0);
      var step = Math.max(2, Math.ceil(total / Math.max(axis._length, 1)));
      var given = el.layout[key] || {};
      if (!el._ticksSource) el._ticksSource = {};
      if (el._ticksSource[key] && el._ticksSource[key].wrapped) return;
      var labels = axis.type === "category" && !given.tickvals ? axis._categories : null;
      if (labels && !labels.some(function (label) { return YEAR.test(label); })) {
        // names (e.g. the five 分類) are all kept, each wrapped to the width of its own column
        var perChar = boxes.reduce(function (w, b) { return w + b.width; }, 0) /
          labels.reduce(function (n, label) { return n + String(label).length; }, 0);
        var perLine = Math.max(2, Math.floor(0.9 * axis._length / labels.length / perChar));
        el._ticksSource[key] = { vals: given.tickvals, text: given.ticktext, mode: given.tickmode, wrapped: true };
        update[key + ".tickmode"] = "array";
        update[key + ".tickvals"] = labels;
        update[key + ".ticktext"] = labels.map(function (label) { return wrapLine(String(label), perLine).join("<br>"); });
        return;
      }
      var values = given.tickvals || (axis.type === "category" ? axis._categories : null);
      var texts = given.ticktext || values;
      if (!values) {
        update[key + ".nticks"] = Math.max(2, Math.floor(boxes.length / step));
        return;
      }
      var all = el._ticksSource[key];
      if (!all) {
        all = el._ticksSource[key] = { vals: given.tickvals, text: given.ticktext, mode: given.tickmode, all: [values, texts], step: 1 };
        var short = texts.map(abbreviate);
        if (short.some(function (text, i) { return text !== String(texts[i]); })) {
          // first the year labels are abbreviated; only if they still run into each other is every n-th kept
          all.all = [values, short];
          update[key + ".tickmode"] = "array";
          update[key + ".tickvals"] = values;
          update[key + ".ticktext"] = short;
          return;
        }
      }
      all.step = Math.min(all.step * step, Math.max(all.all[0].length - 1, 1)); // the first and the newest stay
      var keep = function (_v, i) { return (all.all[0].length - 1 - i) % all.step === 0; }; // the newest year always shown
      update[key + ".tickmode"] = "array";
      update[key + ".tickvals"] = all.all[0].filter(keep);
      update[key + ".ticktext"] = all.all[1].filter(keep);
    });
  }

  // Labels given in full again when a chart is wider than when it was fitted (a phone turned, the print over).
  function restoreTicks(el, update) {
    if (!el._ticksSource) return;
    Object.keys(el._ticksSource).forEach(function (key) {
      var given = el._ticksSource[key];
      update[key + ".tickmode"] = given.mode === undefined ? null : given.mode;
      update[key + ".tickvals"] = given.vals === undefined ? null : given.vals;
      update[key + ".ticktext"] = given.text === undefined ? null : given.text;
    });
    delete el._ticksSource;
  }
  // Legend entries wrapped where the legend is wider than the chart (plotly never wraps a trace's name).
  function fitLegend(el, names) {
    var legend = el.querySelector(".legend .bg");
    if (!legend || legend.getBoundingClientRect().width <= el._fullLayout.width - 4) return;
    var texts = [].slice.call(el.querySelectorAll(".legend .legendtext"));
    var widest = 0;
    var chars = 0;
    texts.forEach(function (t) {
      var width = t.getBoundingClientRect().width;
      if (width > widest) { widest = width; chars = t.textContent.length; }
    });
    if (!chars) return;
    var perLine = Math.max(6, Math.floor((el._fullLayout.width - 60) / (widest / chars)));
    if (!el._namesSource) el._namesSource = el.data.map(function (trace) { return trace.name; });
    el._namesSource.forEach(function (name, i) {
      if (name && name.indexOf("<br>") === -1 && name.length > perLine) names[i] = wrapLine(name, perLine).join("<br>");
    });
  }

  function restoreLegend(el, update) {
    if (!el._namesSource) return;
    window.Plotly.restyle(el, { name: el._namesSource });
    update.height = el._heightSource === undefined ? null : el._heightSource;
    delete el._namesSource;
    delete el._heightSource;
  }

  // A chart with nothing to plot (evalsheets/lib/charts.py empty_figure) says why in one annotation: wrapped like a title.
  function fitMessage(el, update) {
    var message = el.layout.meta && el.layout.meta.empty_message;
    var drawn = el.querySelector(".annotation-text");
    if (!message || !drawn || !el.layout.annotations || !el.layout.annotations.length) return;
    if (!el._messagePerChar) {
      var measured = 0;
      drawn.querySelectorAll("tspan.line").forEach(function (line) { measured = Math.max(measured, line.getComputedTextLength()); });
      if (!measured) measured = drawn.getBBox().width;
      var longest = Math.max.apply(null, String(el.layout.annotations[0].text).split("<br>").map(function (l) { return l.length; }));
      el._messagePerChar = measured / Math.max(longest, 1);
    }
    var text = wrapLine(message, Math.max(6, Math.floor((el._fullLayout.width - 48) / el._messagePerChar))).join("<br>");
    if (text !== el.layout.annotations[0].text) update["annotations[0].text"] = text;
  }

  function fit(el) {
    if (el._fitting || !el._fullLayout) return;
    var width = el._fullLayout.width;
    var update = {};
    if (width !== el._fittedWidth) el._fits = 0;
    if (el._fittedWidth !== undefined && width > el._fittedWidth && (el._ticksSource || el._namesSource)) {
      restoreTicks(el, update);
      restoreLegend(el, update);
    }
    el._fittedWidth = width;
    if (++el._fits > 8) return; // a few rounds settle any chart; never loop on one that cannot fit
    var names = {};
    fitTitle(el, update);
    fitMessage(el, update);
    if (!Object.keys(update).length) clearTitle(el, update);
    fitCounts(el, update);
    if (!Object.keys(update).length) fitTicks(el, update);
    if (!Object.keys(update).length) fitLegend(el, names);
    var renamed = Object.keys(names).map(Number);
    if (!Object.keys(update).length && !renamed.length) return;
    el._fitting = true;
    var done = renamed.length
      ? window.Plotly.restyle(el, { name: renamed.map(function (i) { return names[i]; }) }, renamed).then(function () {
          // plotly lets a legend take at most half the chart's height: the chart grows by the lines added
          var added = renamed.reduce(function (n, i) { return n + names[i].split("<br>").length - 1; }, 0);
          if (el._heightSource === undefined) el._heightSource = el.layout.height;
          return window.Plotly.relayout(el, { height: el._fullLayout.height + 20 * added });
        })
      : window.Plotly.relayout(el, update);
    done.then(function () {
      // plotly fixes the width when a height is given (relayout): the chart would no longer follow its box (a phone
      // turned kept the phone's width). The width is left free again, except while printing (print's own width).
      if (!el._screenSize && el.layout.width !== undefined && (update.height !== undefined || renamed.length)) {
        delete el.layout.width;
        el.layout.autosize = true;
      }
      el._fitting = false;
      fit(el); // until nothing changes: a wrapped title is measured again, then the ticks
    });
  }

  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-figure]").forEach(function (box) {
      var source = document.getElementById(box.dataset.figure);
      if (!source || box.classList.contains("js-plotly-plot")) return;
      var figure = JSON.parse(source.textContent);
      if (box.clientWidth < NARROW) {
        // on a phone or in a narrow grid cell the whole toolbar would cover the title: PNG で保存 and reset remain
        figure.config.modeBarButtonsToRemove = (figure.config.modeBarButtonsToRemove || [])
          .concat(["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d"]);
      }
      window.Plotly.newPlot(box, figure.data, figure.layout, figure.config).then(function () {
        fit(box);
        box.on("plotly_afterplot", function () { fit(box); });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
  return { fit: fit, wrapTitle: wrapTitle, abbreviate: abbreviate };
})();

// Charts are redrawn at their width on paper while the page is printed, and given back to the screen after.
// Plotly draws each chart at a fixed pixel width for the screen; a printed page is laid out at the
// paper's width (A4 less print.css's 10 mm side margins = 190 mm), so without this the right part of
// every chart is cut off. Plotly.Plots.resize cannot do it: it waits 100 ms, after the page is printed.
(function () {
  var PAPER_WIDTH = "190mm"; // print.css: @page A4 portrait, margin 12mm 10mm
  var GRID_GAP = "3mm"; // print.css: the column gap of .chart-grid and .chart-multiples

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

  // the paper's measures, for print.js (the small printed charts of the sheet and program pages)
  window.evalsheetsPaper = { width: PAPER_WIDTH, gap: GRID_GAP, pixels: pixels };

  function forPaper() {
    var paper = pixels(PAPER_WIDTH);
    var gap = pixels(GRID_GAP);
    var half = (paper - gap) / 2;
    var third = (paper - 2 * gap) / 3;
    charts().forEach(function (el) {
      if (!el._screenSize) el._screenSize = { width: el.layout.width, height: el.layout.height };
      // both width and height set: plotly's own resize handler leaves the chart alone meanwhile
      var width = Math.floor(el.closest(".chart-multiples") ? third : el.closest(".chart-grid") ? half : paper);
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

// 印刷 links (data-print): the print dialog. A listener here, not an onclick attribute, which the
// Content-Security-Policy (script-src 'self') blocks.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("[data-print]") : null;
  if (!link) return;
  event.preventDefault();
  window.print();
});
