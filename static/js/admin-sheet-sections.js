/* The sheet's admin page in sections (templates/admin/programs/sheet/change_form.html).
   A jump link opens its section and scrolls to it; the section last opened is remembered in this browser
   (localStorage) and opened again next time; a section holding an error is always opened.
   Loaded from our own static files: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var KEY = "evalsheets.admin.sheet.section";

  function remember(id) {
    try { window.localStorage.setItem(KEY, id); } catch (e) { /* storage refused: nothing is remembered */ }
  }
  function remembered() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function sectionOf(id) {
    var el = id ? document.getElementById(id) : null;
    return el && el.classList.contains("sheet-section") ? el : null;
  }
  function show(section, scroll) {
    section.open = true;
    remember(section.id);
    if (scroll) { section.scrollIntoView({block: "start"}); }
  }

  function init() {
    var sections = Array.prototype.slice.call(document.querySelectorAll("details.sheet-section"));
    if (!sections.length) { return; }
    var nav = document.querySelector(".sheet-sections-nav");
    var tools = nav && nav.querySelector(".sheet-sections-tools");
    if (tools) { tools.hidden = false; }

    nav && nav.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#section-']");
      if (link) {
        var section = sectionOf(link.getAttribute("href").slice(1));
        if (section) {
          event.preventDefault();
          show(section, true); // no #fragment in the address: a save's redirect would carry it to the list
        }
        return;
      }
      var button = event.target.closest("button[data-sections]");
      if (button) {
        var open = button.getAttribute("data-sections") === "open";
        sections.forEach(function (s) { s.open = open; });
      }
    });
    sections.forEach(function (section) {
      section.addEventListener("toggle", function () { if (section.open) { remember(section.id); } });
    });
    // a control the browser refuses (required, pattern) sits in a closed section: open it so it can be shown
    document.addEventListener("invalid", function (event) {
      var section = event.target.closest && event.target.closest("details.sheet-section");
      if (section) { section.open = true; }
    }, true);

    var withErrors = sections.filter(function (s) { return s.querySelector(".errorlist, .errors"); });
    withErrors.forEach(function (s) { s.open = true; });
    var target = sectionOf(window.location.hash.slice(1)) || (withErrors.length ? null : sectionOf(remembered()));
    if (target) {
      show(target, true);
    } else if (!withErrors.length) {
      sections[0].open = true;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
