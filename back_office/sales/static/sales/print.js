// Printable pages (receipt, invoice, day report): a Print button, and the print
// dialog at once when the page was opened to print (?print=1).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
if (document.body.hasAttribute("data-print-now")) {
  window.addEventListener("load", () => window.print());
}
