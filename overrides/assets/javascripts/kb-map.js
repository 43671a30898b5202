/* Maps (issue 13): every marker gets a tap target of at least 24 CSS pixels whatever the
 * drawn scale, and its name appears on hover, on touch, and when the matching link of the
 * list under the map has the keyboard focus. Names are inserted as text, never as HTML.
 */
(function () {
  "use strict";
  var MIN_PX = 12;  // radius: a 24 px target
  var SVG = "http://www.w3.org/2000/svg";

  function setup(svg) {
    var box = svg.viewBox.baseVal;
    var tip = document.createElementNS(SVG, "text");
    tip.setAttribute("class", "kb-map__tip");
    tip.setAttribute("text-anchor", "middle");
    svg.appendChild(tip);
    var scale = 1;

    function size() {
      var width = svg.getBoundingClientRect().width;
      if (!width || !box || !box.width) { return; }
      scale = width / box.width;
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map__hit"), function (c) {
        var dot = c.previousElementSibling;
        var r = Math.max(MIN_PX / scale, parseFloat(dot.getAttribute("r")) * 1.5);
        c.setAttribute("r", r.toFixed(2));
      });
      tip.setAttribute("font-size", (14 / scale).toFixed(2));
    }

    function show(a) {
      var dot = a.querySelector("circle");
      var title = dot.querySelector("title");
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map--active"), function (x) { x.classList.remove("kb-map--active"); });
      a.classList.add("kb-map--active");
      tip.textContent = title ? title.textContent : "";
      tip.setAttribute("x", dot.getAttribute("cx"));
      tip.setAttribute("y", (parseFloat(dot.getAttribute("cy")) - 16 / scale).toFixed(2));
      svg.appendChild(tip);  // drawn last, above every marker
    }

    function hide() {
      tip.textContent = "";
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map--active"), function (x) { x.classList.remove("kb-map--active"); });
    }

    Array.prototype.forEach.call(svg.querySelectorAll(".kb-map__markers a"), function (a) {
      a.addEventListener("mouseenter", function () { show(a); });
      a.addEventListener("mouseleave", hide);
      a.addEventListener("touchstart", function () { show(a); }, { passive: true });
    });
    var figure = svg.closest(".kb-map");
    var list = figure && figure.parentNode ? figure.parentNode.querySelector(".kb-map__list") : null;
    if (list) {
      Array.prototype.forEach.call(list.querySelectorAll("a"), function (link) {
        var href = link.getAttribute("href");
        var marker = svg.querySelector('.kb-map__markers a[href="' + CSS.escape(href) + '"]');
        if (!marker) { return; }
        link.addEventListener("focus", function () { show(marker); });
        link.addEventListener("blur", hide);
        link.addEventListener("mouseenter", function () { show(marker); });
        link.addEventListener("mouseleave", hide);
      });
    }
    size();
    window.addEventListener("resize", size);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("svg.kb-map__svg"), function (svg) {
      if (!svg.getAttribute("data-kb-map-ready")) { svg.setAttribute("data-kb-map-ready", "1"); setup(svg); }
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
