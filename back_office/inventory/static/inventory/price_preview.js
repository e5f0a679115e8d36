// The piece form's price preview: post the form as it is (nothing is saved) to
// the preview URL and show the breakdown it answers, a moment after each change.
(() => {
  const WAIT_MS = 300;

  function start(preview) {
    const form = preview.closest("form");
    if (!form) return;
    let timer = null;
    let latest = 0;
    const refresh = async () => {
      const asked = ++latest;
      try {
        const response = await fetch(preview.dataset.pricePreview, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-Requested-With": "XMLHttpRequest" },
          credentials: "same-origin",
        });
        if (response.ok && asked === latest) {
          preview.innerHTML = await response.text();
        }
      } catch {
        // Offline or the server is restarting: the last preview stays.
      }
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, WAIT_MS);
    };
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    refresh();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-price-preview]").forEach(start);
  });
})();
