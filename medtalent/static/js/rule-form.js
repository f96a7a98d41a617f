/* The eligibility rule form of the catalogue admin (catalog/admin_rules.py): shows only the parameter fields
   of the chosen kind, and under the kind a sentence on what it checks. Without this script every field shows
   and the form works the same. Works for the rules inlines of programmes and categories, rows added later
   included (Django's "formset:added" event). */
(function () {
  "use strict";

  function container(select) {
    return select.closest(".inline-related") || select.closest("form");
  }

  function update(select) {
    var box = container(select);
    if (!box) {
      return;
    }
    var kind = select.value;
    box.querySelectorAll("[data-rule-kinds]").forEach(function (input) {
      var row = input.closest(".form-row") || input.closest("td") || input.parentElement;
      var kinds = (input.getAttribute("data-rule-kinds") || "").split(" ");
      var shown = kind !== "" && kinds.indexOf(kind) !== -1;
      row.hidden = !shown;
      row.classList.toggle("rule-param-hidden", !shown);
    });
    var help = select.parentElement.querySelector(".rule-kind-help");
    if (!help) {
      help = document.createElement("div");
      help.className = "help rule-kind-help";
      help.setAttribute("aria-live", "polite");
      select.insertAdjacentElement("afterend", help);
    }
    var texts = {};
    try {
      texts = JSON.parse(select.getAttribute("data-kind-help") || "{}");
    } catch (e) {
      texts = {};
    }
    help.textContent = texts[kind] || "";
  }

  function updateAll(root) {
    (root || document).querySelectorAll("select.rule-kind").forEach(function (select) {
      if (select.name.indexOf("__prefix__") === -1) {
        update(select);
      }
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.classList.contains("rule-kind")) {
      update(target);
    }
  });
  document.addEventListener("formset:added", function (event) {
    updateAll(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      updateAll(document);
    });
  } else {
    updateAll(document);
  }
})();
