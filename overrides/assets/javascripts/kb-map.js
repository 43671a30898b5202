/* Maps (issue 13): every marker gets a tap target of at least 24 CSS pixels whatever the
 * drawn scale, and its name appears on hover, on touch, and when the matching link of the
 * list under the map has the keyboard focus. Names are inserted as text, never as HTML.
 */
(function () {
  "use strict";
  var MIN_PX = 12.5;  // radius: a target of at least 24 px, whatever the rounding
  var SVG = "http://www.w3.org/2000/svg";

  function setup(svg) {
    var box = svg.viewBox.baseVal;
    var fullWidth = box && box.width ? box.width : 1;
    var tip = document.createElementNS(SVG, "text");
    tip.setAttribute("class", "kb-map__tip");
    tip.setAttribute("text-anchor", "middle");
    svg.appendChild(tip);
    var scale = 1;
    var sized = "";  // the scale and zoom the markers were last sized for
    var hits = null;

    function size() {
      // a map in a closed panel is not drawn: measuring it would lay it out for nothing
      // (thousands of markers at scale); the panel's toggle sizes it once opened
      if (svg.checkVisibility && !svg.checkVisibility()) { return; }
      var rect = svg.getBoundingClientRect();
      if (!rect.width || !box || !box.width) { return; }
      // CSS pixels per map unit: the smaller of both axes (preserveAspectRatio "meet")
      scale = Math.min(rect.width / box.width, rect.height && box.height ? rect.height / box.height : Infinity);
      var zoomed = box.width / fullWidth;  // < 1 once zoomed on a few régions: dots keep their size
      tip.setAttribute("font-size", (14 / scale).toFixed(2));
      if (sized === scale + " " + zoomed) { return; }  // nothing changed since the last sizing
      sized = scale + " " + zoomed;
      hits = hits || svg.querySelectorAll(".kb-map__hit");
      Array.prototype.forEach.call(hits, function (c) {
        var dot = c.previousElementSibling;
        if (!dot.hasAttribute("data-r")) { dot.setAttribute("data-r", dot.getAttribute("r")); }
        var own = parseFloat(dot.getAttribute("data-r")) * zoomed;
        dot.setAttribute("r", own.toFixed(2));
        c.setAttribute("r", Math.max(MIN_PX / scale, own * 1.5).toFixed(2));
      });
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
      var byHref = {};  // one pass over the markers, not one query per link of the list
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map__markers a[href]"), function (a) {
        var href = a.getAttribute("href");
        if (!byHref[href]) { byHref[href] = a; }
      });
      Array.prototype.forEach.call(list.querySelectorAll("a"), function (link) {
        var marker = byHref[link.getAttribute("href")];
        if (!marker) { return; }
        link.addEventListener("focus", function () { show(marker); });
        link.addEventListener("blur", hide);
        link.addEventListener("mouseenter", function () { show(marker); });
        link.addEventListener("mouseleave", hide);
      });
    }
    size();
    window.addEventListener("resize", size);
    // a map drawn while hidden (a closed panel on phones) has no size yet: size it once shown
    if (window.ResizeObserver) { new ResizeObserver(function () { size(); }).observe(svg); }
    var panel = svg.closest("details");
    if (panel) { panel.addEventListener("toggle", size); }

    // the explorer: zoom on the places of the selected régions, back to France without
    var initial = svg.getAttribute("viewBox");
    // the explorer's map may stand inside the explorer or after its list (a panel on phones)
    var explorer = figure ? (figure.closest("[data-kb-explorer]") ||
      (figure.classList.contains("kb-map--catalogue") ? document.querySelector("[data-kb-explorer]") : null)) : null;
    var facet = explorer ? explorer.querySelector('fieldset[data-facet="regions"]') : null;
    function zoom() {
      var chosen = facet ? Array.prototype.filter.call(facet.querySelectorAll("input[type=checkbox]"),
        function (b) { return b.checked; }).map(function (b) { return b.value; }) : [];
      var dots = chosen.length ? Array.prototype.filter.call(svg.querySelectorAll(".kb-map__markers a"), function (a) {
        return chosen.indexOf(a.getAttribute("data-region")) >= 0;
      }).map(function (a) { return a.querySelector("circle"); }) : [];
      if (!dots.length) { svg.setAttribute("viewBox", initial); box = svg.viewBox.baseVal; size(); return; }
      var xs = dots.map(function (c) { return parseFloat(c.getAttribute("cx")); });
      var ys = dots.map(function (c) { return parseFloat(c.getAttribute("cy")); });
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
      var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
      var side = Math.max(x1 - x0, y1 - y0) + 80;
      var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
      svg.setAttribute("viewBox", [cx - side / 2, cy - side / 2, side, side].map(function (v) { return v.toFixed(1); }).join(" "));
      box = svg.viewBox.baseVal;
      size();
    }
    if (facet) {
      facet.addEventListener("change", function () { setTimeout(zoom, 0); });
      // the explorer rewrites its status after every filtering (a change, the state read
      // from the address, « tout effacer »): zoom then too
      var status = explorer.querySelector("[data-kb-status]");
      if (status && window.MutationObserver) {
        new MutationObserver(function () { zoom(); }).observe(status, { childList: true, characterData: true, subtree: true });
      }
      zoom();
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("svg.kb-map__svg"), function (svg) {
      if (!svg.getAttribute("data-kb-map-ready")) { svg.setAttribute("data-kb-map-ready", "1"); setup(svg); }
    });
  }
  document.addEventListener("kb-map-added", init);  // a map the explorer loaded on demand
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
