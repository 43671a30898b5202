/* Maps (issues 13, 20): every marker gets a tap target of at least 24 CSS pixels whatever the
 * drawn scale, and its name appears on hover, when the marker has the keyboard focus, when
 * the matching link of the list under the map has it, and on a first tap (a second tap on the
 * same marker follows its link). The name is a box over the figure, kept inside it and
 * wrapped when long, so that it is never cut by the edge of the map on a phone. Names are
 * inserted as text, never as HTML.
 */
(function () {
  "use strict";
  var MIN_PX = 12.5;  // radius: a target of at least 24 px, whatever the rounding
  var FINGER_PX = 14;  // places closer than this to a tap are listed together
  var SVG = "http://www.w3.org/2000/svg";

  function setup(svg) {
    var box = svg.viewBox.baseVal;
    var fullWidth = box && box.width ? box.width : 1;
    var figure = svg.closest(".kb-map");
    var tip = document.createElement("span");
    tip.className = "kb-map__tip";
    tip.setAttribute("aria-hidden", "true");  // the marker's own label is what is read
    tip.hidden = true;
    (figure || svg.parentNode).appendChild(tip);
    var scale = 1;
    var touched = null;  // the marker named by the last tap, which a second tap follows

    function size() {
      var rect = svg.getBoundingClientRect();
      if (!rect.width || !box || !box.width) { return; }
      // CSS pixels per map unit: the smaller of both axes (preserveAspectRatio "meet")
      scale = Math.min(rect.width / box.width, rect.height && box.height ? rect.height / box.height : Infinity);
      var zoomed = box.width / fullWidth;  // < 1 once zoomed on a few régions: dots keep their size
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map__hit"), function (c) {
        var dot = c.previousElementSibling;
        if (!dot.hasAttribute("data-r")) { dot.setAttribute("data-r", dot.getAttribute("r")); }
        var own = parseFloat(dot.getAttribute("data-r")) * zoomed;
        dot.setAttribute("r", own.toFixed(2));
        c.setAttribute("r", Math.max(MIN_PX / scale, own * 1.5).toFixed(2));
      });
    }

    function nameOf(a) {
      var title = a.querySelector("circle title");
      return title ? title.textContent : "";
    }

    // ``others``: the places next to it (a tap on a phone cannot tell them apart): the box then
    // lists them all, each a link to its page
    function show(a, others) {
      var dot = a.querySelector("circle");
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map--active"), function (x) { x.classList.remove("kb-map--active"); });
      a.classList.add("kb-map--active");
      tip.textContent = "";
      tip.classList.remove("kb-map__tip--list");
      if (others && others.length > 1) {
        tip.classList.add("kb-map__tip--list");
        tip.removeAttribute("aria-hidden");
        var list = document.createElement("ul");
        others.forEach(function (o) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = new URL(o.getAttribute("href"), document.baseURI).href;
          link.textContent = nameOf(o);
          item.appendChild(link);
          list.appendChild(item);
        });
        tip.appendChild(list);
      } else {
        tip.setAttribute("aria-hidden", "true");
        tip.textContent = nameOf(a);
      }
      tip.hidden = false;
      // above the dot, centred on it, moved sideways to stay inside the figure; below the
      // dot when there is no room above
      var host = tip.offsetParent || tip.parentNode;
      var frame = host.getBoundingClientRect();
      var spot = dot.getBoundingClientRect();
      var x = spot.left + spot.width / 2 - frame.left;
      var left = Math.max(0, Math.min(x - tip.offsetWidth / 2, host.clientWidth - tip.offsetWidth));
      var top = spot.top - frame.top - tip.offsetHeight - 6;
      if (top < 0) { top = spot.bottom - frame.top + 6; }
      tip.style.left = left.toFixed(1) + "px";
      tip.style.top = top.toFixed(1) + "px";
    }

    function hide() {
      tip.textContent = "";
      tip.hidden = true;
      touched = null;
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map--active"), function (x) { x.classList.remove("kb-map--active"); });
    }

    // the visible marker whose dot is nearest to a point of the screen (tap targets of
    // neighbouring places overlap on a phone: a tap goes to the nearest, not the topmost)
    // the visible markers within a finger's reach of a point, nearest first
    function near(clientX, clientY) {
      var found = [];
      Array.prototype.forEach.call(svg.querySelectorAll(".kb-map__markers a"), function (a) {
        var spot = a.querySelector("circle").getBoundingClientRect();
        if (!spot.width) { return; }  // filtered out (display: none)
        var d = Math.hypot(spot.left + spot.width / 2 - clientX, spot.top + spot.height / 2 - clientY);
        if (d <= FINGER_PX) { found.push([d, a]); }
      });
      found.sort(function (x, y) { return x[0] - y[0]; });
      return found.map(function (x) { return x[1]; });
    }

    var lastPointer = "mouse";
    Array.prototype.forEach.call(svg.querySelectorAll(".kb-map__markers a"), function (a) {
      a.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType; });
      a.addEventListener("mouseenter", function () { if (lastPointer === "mouse") { show(a); } });
      a.addEventListener("mouseleave", function () { if (lastPointer === "mouse" && document.activeElement !== a) { hide(); } });
      a.addEventListener("focus", function () { show(a); });
      a.addEventListener("blur", function () { if (!touched) { hide(); } });  // a tapped name stays until a tap elsewhere
      // on a touch screen, a first tap names the nearest place; a second tap on it opens its page
      a.addEventListener("click", function (e) {
        if (lastPointer !== "touch" && lastPointer !== "pen") { return; }
        var around = (e.clientX || e.clientY) ? near(e.clientX, e.clientY) : [];
        var target = around[0] || a;
        if (touched === target && around.length <= 1) {
          if (target !== a) { e.preventDefault(); window.location.assign(new URL(target.getAttribute("href"), document.baseURI).href); }
          return;
        }
        e.preventDefault();
        touched = null;
        show(target, around);
        touched = target;
      });
    });
    // a tap elsewhere (but on the box of names) puts the name away
    document.addEventListener("pointerdown", function (e) {
      if (touched && !svg.contains(e.target) && !(tip.contains(e.target) && e.target.closest("a"))) { hide(); }
    });
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
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
