// The counter, for the keyboard: the scan field keeps the focus (a scanner types
// the SKU and Enter), F2 goes back to it, F8 to the payment's amount, F9
// completes the sale. Everything works without this script; it only saves keys.
(function () {
  const counter = document.querySelector("[data-counter]");
  if (!counter) return;
  const scan = counter.querySelector("[data-counter-scan] input[name=code]");
  const amount = counter.querySelector("[data-counter-tender] input[name=amount]");
  const complete = counter.querySelector("[data-counter-complete]");

  // After a refusal the field that needs fixing is in an open disclosure: leave
  // the focus to the reader there; otherwise, back to scanning.
  const openForm = counter.querySelector("details[open] input:not([type=hidden])");
  if (openForm && counter.querySelector("[data-counter-refusal]")) {
    openForm.focus();
  } else if (scan) {
    scan.focus();
    scan.select();
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "F2" && scan) {
      event.preventDefault();
      scan.focus();
      scan.select();
    } else if (event.key === "F8" && amount) {
      event.preventDefault();
      amount.focus();
      amount.select();
    } else if (event.key === "F9" && complete) {
      event.preventDefault();
      complete.requestSubmit();
    }
  });

  // One completion per press: a second Enter while the first is on its way would
  // only be refused, but it would confuse the assistant.
  if (complete) {
    complete.addEventListener("submit", (event) => {
      const button = complete.querySelector("button[type=submit]");
      if (button.getAttribute("aria-disabled") === "true") {
        event.preventDefault();
        if (amount) amount.focus();
        return;
      }
      if (complete.dataset.sent) event.preventDefault();
      complete.dataset.sent = "1";
    });
  }

  counter.querySelectorAll("[data-counter-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.counterConfirm)) event.preventDefault();
    });
  });
})();
