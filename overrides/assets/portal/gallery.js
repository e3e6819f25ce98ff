// Photo galleries of an article (two or more photos in a row): a click, Enter or a tap opens
// PhotoSwipe's full-screen viewer (arrows and swipe to move, Esc or the close button to
// leave). Loaded only on pages that have a gallery; without JavaScript each photo's link
// opens its largest size.
import PhotoSwipeLightbox from "./photoswipe/photoswipe-lightbox.esm.min.js";

const lightbox = new PhotoSwipeLightbox({
  gallery: ".portal-gallery",
  children: "a",
  pswpModule: () => import("./photoswipe/photoswipe.esm.min.js"),
  showHideAnimationType: "fade",
  bgOpacity: 1,
  closeTitle: "Đóng (Esc)",
  zoomTitle: "Phóng to",
  arrowPrevTitle: "Ảnh trước",
  arrowNextTitle: "Ảnh sau",
  errorMsg: "Không tải được ảnh này.",
  indexIndicatorSep: " / ",
});
// a browser without AVIF shows the WebP in the page: the viewer shows that one too
lightbox.addFilter("itemData", (data) => {
  const img = data.element && data.element.querySelector("img");
  if (img && img.currentSrc && !/\.avif([?#]|$)/.test(img.currentSrc)) data.src = img.currentSrc;
  return data;
});
lightbox.on("uiRegister", () => {
  // the photo's caption, read out and shown under it
  lightbox.pswp.ui.registerElement({
    name: "portal-caption",
    order: 9,
    isButton: false,
    appendTo: "root",
    onInit: (element, pswp) => {
      element.setAttribute("aria-live", "polite");
      pswp.on("change", () => {
        const figure = pswp.currSlide.data.element && pswp.currSlide.data.element.closest("figure");
        const caption = figure && figure.querySelector("figcaption");
        const img = figure && figure.querySelector("img");
        element.textContent = (caption && caption.textContent) || (img && img.alt) || "";
      });
    },
  });
});
lightbox.init();
