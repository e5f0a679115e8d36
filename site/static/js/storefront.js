/* Storefront enhancements; every page works without them.
   - gallery: one photo at a time, the thumbnails show theirs in place (without JS,
     every photo is on the page and a thumbnail jumps to it);
   - filters: a ticked box or a new sort applies at once (a button without JS), and
     the filters are open beside the pieces on a wide screen (folded on a phone). */
(function () {
  "use strict";

  function gallery(root) {
    var links = root.querySelectorAll("[data-show]");
    var slides = root.querySelectorAll(".gallery__slide");
    if (links.length) {
      slides.forEach(function (slide, index) {
        slide.hidden = index > 0;
      });
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        slides.forEach(function (slide) {
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

  if (window.matchMedia("(min-width: 64rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }
  document.querySelectorAll("[data-gallery]").forEach(gallery);
  document.querySelectorAll("form[data-autosubmit]").forEach(autosubmit);
})();
