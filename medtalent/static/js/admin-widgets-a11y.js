/* Accessibility fixes for Django's admin widgets, on every admin page (templates/admin/base_site.html), as
   axe-core checks them (WCAG 2 A/AA):
   - the search box select2 puts in a multiple autocomplete has no label: it gets the field's own label;
   - select2's single-choice box (role="combobox", and the text box inside it) is named by the selected text
     only, empty when nothing is chosen: it gets the field's own label;
   - select2's list of chosen values puts a <span> (the "clear" cross) among its <li>: the list gets role="list";
   - the two-box select (FilteredSelectMultiple) puts aria-label on a plain <span> (the search icon): it gets
     role="img", for which the label is allowed.
   The widgets build these elements after the page loads and again on changes: a MutationObserver fixes them. */
(function () {
  "use strict";

  function labelOf(select) {
    if (!select || !select.id) {
      return "";
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    // A table row's field has no <label>: its own aria-label (catalog.admin.LabelledInlineFormSet) names it.
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : select.getAttribute("aria-label") || "";
  }

  function fix(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      // Inline (a multiple select): the select is just before select2's container. In the dropdown: the input
      // controls the list "select2-<select id>-results".
      var container = input.closest(".select2");
      var select = container ? container.previousElementSibling : null;
      var controls = input.getAttribute("aria-controls") || "";
      var match = controls.match(/^select2-(.+)-results$/);
      if ((!select || select.tagName !== "SELECT") && match) {
        select = document.getElementById(match[1]);
      }
      input.setAttribute("aria-label", labelOf(select) || document.title);
    });
    var boxes = ".select2-selection[role=combobox]:not([aria-label]), .select2-selection__rendered[role=textbox]:not([aria-label])";
    root.querySelectorAll(boxes).forEach(function (box) {
      var container = box.closest(".select2");
      var select = container ? container.previousElementSibling : null;
      var name = select && select.tagName === "SELECT" ? labelOf(select) : "";
      if (name) {
        box.setAttribute("aria-label", name);
      }
    });
    root.querySelectorAll("ul.select2-selection__rendered:not([role])").forEach(function (list) {
      list.setAttribute("role", "list");
    });
    root.querySelectorAll(".selector span[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }

  function start() {
    fix(document);
    new MutationObserver(function () {
      fix(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
