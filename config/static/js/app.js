/* Progressive enhancement for the portals. Every page works without this file; with it:
 *
 * - Sums as you type: inputs marked data-sum="NAME" add up into every
 *   <output data-sum-total="NAME"> of the same form (or page), written as money in the
 *   page's language. <output> is a polite live region, so the new total is announced.
 * - A form that comes back with errors moves focus to its error summary
 *   ([data-error-summary], includes/form_errors.html).
 *
 * No inline scripts or handlers anywhere (the CSP forbids them): behaviour hangs off data-
 * attributes through delegated listeners, so content swapped in by htmx works too.
 */
(function () {
  "use strict";

  var formatters = {};

  function money(value) {
    var lang = document.documentElement.lang || "fi";
    if (!formatters[lang]) {
      formatters[lang] = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR" });
    }
    return formatters[lang].format(value);
  }

  // "1 234,50", "1234.5", "1 234,50 €" -> 1234.5; anything else counts as nothing.
  function parseAmount(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (!/^-?\d+(\.\d+)?$/.test(cleaned)) {
      return 0;
    }
    return Number(cleaned);
  }

  function updateSums(root) {
    var outputs = (root || document).querySelectorAll("output[data-sum-total]");
    outputs.forEach(function (output) {
      var name = output.getAttribute("data-sum-total");
      var scope = output.form || output.closest("form") || document;
      var total = 0;
      scope.querySelectorAll('[data-sum="' + name + '"]').forEach(function (input) {
        total += parseAmount(input.value);
      });
      output.value = money(Math.round(total * 100) / 100);
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-sum]")) {
      updateSums(event.target.form || document);
    }
  });

  function ready() {
    updateSums(document);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  document.body.addEventListener("htmx:afterSettle", function (event) {
    updateSums(document);
  });
})();
