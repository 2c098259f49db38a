/* The portal's own behaviour, small on purpose: every page works without it.
   A form that comes back with errors moves the focus to its error summary, so a screen reader
   reads what went wrong and a keyboard user starts from the list of links to the fields. */
(function () {
  "use strict";
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }
  // On a phone the menu folds behind a button; the button says whether it is open.
  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    var narrow = window.matchMedia("(max-width: 40rem)");
    function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }
    function apply() {
      toggle.hidden = !narrow.matches;
      menu.hidden = narrow.matches && !isOpen();
    }
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", String(!isOpen()));
      apply();
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches && isOpen()) {
        toggle.setAttribute("aria-expanded", "false");
        apply();
        toggle.focus();
      }
    });
    narrow.addEventListener("change", apply);
    apply();
  }
  // The menu's groups are details elements: one open at a time, closed by Escape (the focus
  // goes back to the group's summary) or by a click outside the menu.
  function setUpMenuGroups() {
    var groups = document.querySelectorAll(".site-nav details");
    Array.prototype.forEach.call(groups, function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) return;
        Array.prototype.forEach.call(groups, function (other) {
          if (other !== group) other.open = false;
        });
      });
      group.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && group.open) {
          group.open = false;
          group.querySelector("summary").focus();
          event.stopPropagation();
        }
      });
    });
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".site-nav")) return;
      Array.prototype.forEach.call(groups, function (group) { group.open = false; });
    });
  }
  // Filters fold on a phone (a details element, closed in the page); on a wider screen, where
  // they fit beside each other, they open at once.
  function openFiltersOnWideScreens() {
    if (!window.matchMedia("(min-width: 40.0625rem)").matches) return;
    Array.prototype.forEach.call(document.querySelectorAll("details.filter-panel"), function (panel) {
      panel.open = true;
    });
  }
  // A text field with a limit (maxlength) says how much is left as one types; the browser
  // stops typing at the limit, and the counter says so before that happens. The counter
  // (<id>_count) is in the page beside every such field, however its form was rendered
  // (core.forms.PortalBoundField), and the field's aria-describedby names it already.
  // Figures grouped as the page's language writes them (20 000 in Finnish and Swedish, 20,000 in English)
  function number(value) {
    try { return value.toLocaleString(document.documentElement.lang || "fi"); } catch (e) { return String(value); }
  }
  function setUpCounters(root) {
    var fields = (root || document).querySelectorAll("[maxlength][id]");
    Array.prototype.forEach.call(fields, function (field) {
      var counter = document.getElementById(field.id + "_count");
      var limit = parseInt(field.getAttribute("maxlength"), 10);
      if (!counter || !limit || field.hasAttribute("data-counting")) return;
      field.setAttribute("data-counting", "");
      var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      if (described.indexOf(counter.id) < 0) described.push(counter.id);
      field.setAttribute("aria-describedby", described.join(" "));
      var template = counter.getAttribute("data-template");
      function update() {
        var left = limit - field.value.length;
        counter.textContent = template.replace("%(left)s", number(Math.max(left, 0))).replace("%(limit)s", number(limit));
        counter.classList.toggle("char-count--over", left <= 0);
      }
      field.addEventListener("input", update);
      update();
    });
  }
  // A table wider than the screen scrolls inside its .table-wrap; a keyboard user can only
  // scroll it if the wrapper takes the focus, and a screen reader names it by the caption.
  var regionCount = 0;
  function makeScrollingTablesFocusable(root) {
    var wraps = (root || document).querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("data-scroll-focus", "");
        var caption = wrap.querySelector("caption");
        if (caption && !wrap.hasAttribute("role")) {
          if (!caption.id) caption.id = "table-caption-" + (++regionCount);
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-labelledby", caption.id);
        }
      } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("data-scroll-focus");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpMenuGroups();
    openFiltersOnWideScreens();
    setUpCounters(document);
    makeScrollingTablesFocusable(document);
    focusErrorSummary(document);
  });
  window.addEventListener("resize", function () { makeScrollingTablesFocusable(document); });
  // An htmx-swapped form with errors gets the same treatment; without errors the focus goes
  // to what the swap says happened (an element marked data-focus-after-swap), not to the page's
  // start, since the button that had it is gone. An outerHTML swap replaces the target, so the
  // new element is found again by its id.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var root = (target.id && document.getElementById(target.id)) || target;
    makeScrollingTablesFocusable(root.parentNode || document);
    setUpCounters(root);
    if (root.querySelector(".error-summary")) {
      focusErrorSummary(root);
      return;
    }
    var done = root.querySelector("[data-focus-after-swap]");
    if (done) {
      if (!done.hasAttribute("tabindex")) done.setAttribute("tabindex", "-1");
      done.focus();
    }
  });
})();
