/* Progressive enhancement for the portals. Every page works without this file; with it:
 *
 * - Sums as you type: inputs marked data-sum="NAME" add up into every
 *   <output data-sum-total="NAME"> of the same form (or page), written as money in the
 *   page's language. <output> is a polite live region, so the new total is announced. An
 *   input with data-sum-if="ID" counts only while the checkbox of that id is ticked (the round
 *   page: only the applications included in the round add up).
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

  // An amount read as the server reads it (portal.forms.plain_amount): "1 234,50", "1234.5",
  // "1 234,50 €", "1,234.50" and "1.234,50" (the last separator is the decimal one); a lone
  // comma is the decimal one, except English thousands such as "12,500" on an English page.
  // Anything else counts as nothing.
  function parseAmount(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f€]/g, "");
    var comma = cleaned.lastIndexOf(",");
    var point = cleaned.lastIndexOf(".");
    if (comma >= 0 && point >= 0) {
      var thousands = comma > point ? /\./g : /,/g;
      cleaned = cleaned.replace(thousands, "").replace(",", ".");
    } else if (comma >= 0) {
      var english = (document.documentElement.lang || "").indexOf("en") === 0;
      cleaned = english && /^-?\d{1,3}(,\d{3})+$/.test(cleaned)
        ? cleaned.replace(/,/g, "")
        : cleaned.replace(",", ".");
    }
    if (!/^-?\d+(\.\d+)?$/.test(cleaned)) {
      return 0;
    }
    return Number(cleaned);
  }

  function counts(input) {
    var gate = input.getAttribute("data-sum-if");
    var box = gate ? document.getElementById(gate) : null;
    return !box || box.checked;
  }

  function updateSums() {
    var outputs = document.querySelectorAll("output[data-sum-total]");
    outputs.forEach(function (output) {
      var name = output.getAttribute("data-sum-total");
      var scope = output.form || output.closest("form") || document;
      var total = 0;
      scope.querySelectorAll('[data-sum="' + name + '"]').forEach(function (input) {
        if (counts(input)) {
          total += parseAmount(input.value);
        }
      });
      output.value = money(Math.round(total * 100) / 100);
    });
  }

  document.addEventListener("input", function (event) {
    // The whole page: an <output form="..."> may stand outside its form (the round page's
    // total sits above the table).
    if (event.target.matches && event.target.matches("[data-sum]")) {
      updateSums();
    }
  });

  // Ticking or unticking a row's checkbox adds its amount to the total or takes it out.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type === "checkbox" && box.id && document.querySelector('[data-sum-if="' + box.id + '"]')) {
      updateSums();
    }
  });

  function ready() {
    updateSums();
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
    updateSums();
  });
})();

/* --- htmx swaps and focus ------------------------------------------------------------------
 * htmx swaps no 4xx response by default. A form marked data-swap-errors gets its 400 (field
 * errors) or 409 (state conflict) answer swapped in like a success, and focus moves to the
 * first field in error (or the form's first error message) so the error is announced.
 * Otherwise, when the swap replaced the element that had focus (the button just pressed, a
 * link being replaced by the form it stood for), focus moves to what came in instead of falling
 * back to the top of the page (WCAG 2.4.3): to the element the answer marks data-swap-focus
 * (itself when it can take focus, else its first control, else itself made focusable), or to
 * the first control of what came in. base.html has htmx settle at once, so this runs before the
 * browser handles the next key. */
(function () {
  "use strict";

  var FOCUSABLE = "input:not([type=hidden]), select, textarea, button, a[href], summary";
  var hadFocus = false;

  function focusInto(element) {
    var control = element.matches(FOCUSABLE) ? element : element.querySelector(FOCUSABLE);
    if (!control && element.getAttribute("tabindex") === null) {
      element.setAttribute("tabindex", "-1");
    }
    (control || element).focus();
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var swapped = event.detail.target;
    hadFocus = Boolean(swapped && swapped.contains(document.activeElement));
    var status = event.detail.xhr.status;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ((status === 400 || status === 409) && source && source.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    // After an outerHTML swap the target is the detached old element: find its successor.
    var target = event.detail.target;
    if (target && target.id) {
      target = document.getElementById(target.id) || target;
    }
    if (!target || !target.querySelector) {
      return;
    }
    var invalid = target.querySelector('[data-swap-errors] [aria-invalid="true"]') ||
      target.querySelector("[data-swap-errors] .field__errors");
    if (invalid) {
      if (!invalid.matches("input, select, textarea")) {
        invalid.setAttribute("tabindex", "-1");
      }
      invalid.focus();
      return;
    }
    if (!hadFocus) {
      return;
    }
    var wanted = target.querySelector("[data-swap-focus]");
    if (wanted) {
      focusInto(wanted);
      return;
    }
    var lost = !document.activeElement || document.activeElement === document.body;
    if (lost) {
      var first = target.querySelector(FOCUSABLE);
      if (first) {
        first.focus();
      }
    }
  });
})();

/* ==== Association portal: more rows in a formset (grants/templates/associations/) ==========
 * A <template data-formset-template="PREFIX"> holds the formset's empty form (__prefix__ for
 * its index, __number__ for the number a person reads); the button [data-formset-add="PREFIX"],
 * hidden without JavaScript, appends a copy to [data-formset="PREFIX"], raises
 * PREFIX-TOTAL_FORMS and moves focus to the new row's first field. Without JavaScript the form
 * always shows a few empty rows, and saving gives more. */
(function () {
  "use strict";

  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add]");
    if (!button) {
      return;
    }
    var prefix = button.getAttribute("data-formset-add");
    var scope = button.form || document;
    var total = scope.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var maximum = scope.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = scope.querySelector('template[data-formset-template="' + prefix + '"]');
    var list = scope.querySelector('[data-formset="' + prefix + '"]');
    if (!total || !template || !list) {
      return;
    }
    var index = Number(total.value);
    if (maximum && index >= Number(maximum.value)) {
      return;
    }
    list.insertAdjacentHTML(
      "beforeend",
      template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1))
    );
    total.value = String(index + 1);
    var field = list.lastElementChild && list.lastElementChild.querySelector("input, select, textarea");
    if (field) {
      field.focus();
    }
  });
})();
/* ==== end of the association portal ====================================================== */
