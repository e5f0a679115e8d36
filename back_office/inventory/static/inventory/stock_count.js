// The stock count's running tally: how many SKUs are scanned so far, how many
// different ones, and which were scanned more than once, updated with each scan.
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-stock-count]");
    if (!form) return;
    const scanned = form.querySelector("textarea[name=scanned]");
    const tally = form.querySelector("[data-stock-count-tally]");
    const update = () => {
      const skus = scanned.value
        .split(/\s+/)
        .map((sku) => sku.trim().toUpperCase())
        .filter(Boolean);
      const times = new Map();
      skus.forEach((sku) => times.set(sku, (times.get(sku) || 0) + 1));
      const twice = [...times].filter(([, n]) => n > 1).map(([sku, n]) => `${sku} (${n}×)`);
      tally.textContent = skus.length
        ? `${skus.length} scanned, ${times.size} different` +
          (twice.length ? `; scanned more than once: ${twice.join(", ")}` : ".")
        : "";
    };
    scanned.addEventListener("input", update);
    update();
  });
})();
