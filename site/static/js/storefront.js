/* Storefront enhancements; every page works without them.
   - gallery: the thumbnails show their photo in place (links to #photo-n without JS);
   - filters: a ticked box or a new sort applies at once (a button without JS). */
(function () {
  "use strict";

  function gallery(root) {
    var links = root.querySelectorAll("[data-show]");
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        root.querySelectorAll(".gallery__slide").forEach(function (slide) {
          slide.hidden = slide.id !== link.dataset.show;
        });
        links.forEach(function (other) {
          other.setAttribute("aria-current", String(other === link));
        });
      });
    });
  }

  function autosubmit(form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "checkbox" || target.tagName === "SELECT") {
        form.submit();
      }
    });
  }

  document.querySelectorAll("[data-gallery]").forEach(gallery);
  document.querySelectorAll("form[data-autosubmit]").forEach(autosubmit);
})();
