/* Maps (issue 13), an ES module: every marker gets a tap target of at least 24 CSS pixels
 * whatever the drawn scale, and its name appears on hover, on touch, and when the matching
 * link of the list under the map has the keyboard focus. Names are inserted as text, never
 * as HTML. On the explorer, the map zooms on the places of the selected régions.
 * Helpers shared with the other scripts: kb-common.js. */
import { onReady } from "./kb-common.js";

const MIN_PX = 12.5;  // radius: a target of at least 24 px, whatever the rounding
const SVG = "http://www.w3.org/2000/svg";

function setup(svg) {
  let box = svg.viewBox.baseVal;
  const fullWidth = box && box.width ? box.width : 1;
  const tip = document.createElementNS(SVG, "text");
  tip.setAttribute("class", "kb-map__tip");
  tip.setAttribute("text-anchor", "middle");
  svg.appendChild(tip);
  let scale = 1;
  let sized = "";  // the scale and zoom the markers were last sized for
  let hits = null;
  const markers = () => svg.querySelectorAll(".kb-map__markers a");

  function size() {
    // a map in a closed panel is not drawn: measuring it would lay it out for nothing
    // (thousands of markers at scale); the panel's toggle sizes it once opened
    if (svg.checkVisibility && !svg.checkVisibility()) return;
    const rect = svg.getBoundingClientRect();
    if (!rect.width || !box || !box.width) return;
    // CSS pixels per map unit: the smaller of both axes (preserveAspectRatio "meet")
    scale = Math.min(rect.width / box.width, rect.height && box.height ? rect.height / box.height : Infinity);
    const zoomed = box.width / fullWidth;  // < 1 once zoomed on a few régions: dots keep their size
    tip.setAttribute("font-size", (14 / scale).toFixed(2));
    if (sized === scale + " " + zoomed) return;  // nothing changed since the last sizing
    sized = scale + " " + zoomed;
    hits = hits || svg.querySelectorAll(".kb-map__hit");
    hits.forEach((hit) => {
      const dot = hit.previousElementSibling;
      if (!dot.hasAttribute("data-r")) dot.setAttribute("data-r", dot.getAttribute("r"));
      const own = parseFloat(dot.getAttribute("data-r")) * zoomed;
      dot.setAttribute("r", own.toFixed(2));
      hit.setAttribute("r", Math.max(MIN_PX / scale, own * 1.5).toFixed(2));
    });
  }

  function hide() {
    tip.textContent = "";
    svg.querySelectorAll(".kb-map--active").forEach((x) => x.classList.remove("kb-map--active"));
  }

  function show(a) {
    const dot = a.querySelector("circle");
    const title = dot.querySelector("title");
    hide();
    a.classList.add("kb-map--active");
    tip.textContent = title ? title.textContent : "";
    tip.setAttribute("x", dot.getAttribute("cx"));
    tip.setAttribute("y", (parseFloat(dot.getAttribute("cy")) - 16 / scale).toFixed(2));
    svg.appendChild(tip);  // drawn last, above every marker
  }

  markers().forEach((a) => {
    a.addEventListener("mouseenter", () => show(a));
    a.addEventListener("mouseleave", hide);
    a.addEventListener("touchstart", () => show(a), { passive: true });
  });
  const figure = svg.closest(".kb-map");
  const list = figure && figure.parentNode ? figure.parentNode.querySelector(".kb-map__list") : null;
  if (list) {
    const byHref = new Map();  // one pass over the markers, not one query per link of the list
    svg.querySelectorAll(".kb-map__markers a[href]").forEach((a) => {
      if (!byHref.has(a.getAttribute("href"))) byHref.set(a.getAttribute("href"), a);
    });
    list.querySelectorAll("a").forEach((link) => {
      const marker = byHref.get(link.getAttribute("href"));
      if (!marker) return;
      link.addEventListener("focus", () => show(marker));
      link.addEventListener("blur", hide);
      link.addEventListener("mouseenter", () => show(marker));
      link.addEventListener("mouseleave", hide);
    });
  }
  size();
  window.addEventListener("resize", size);
  // a map drawn while hidden (a closed panel on phones) has no size yet: size it once shown
  if (window.ResizeObserver) new ResizeObserver(() => size()).observe(svg);
  const panel = svg.closest("details");
  if (panel) panel.addEventListener("toggle", size);

  // the explorer: zoom on the places of the selected régions, back to France without
  const initial = svg.getAttribute("viewBox");
  // the explorer's map may stand inside the explorer or after its list (a panel on phones)
  const explorer = figure ? (figure.closest("[data-kb-explorer]") ||
    (figure.classList.contains("kb-map--catalogue") ? document.querySelector("[data-kb-explorer]") : null)) : null;
  const facet = explorer ? explorer.querySelector('fieldset[data-facet="regions"]') : null;

  function zoom() {
    const chosen = facet ? [...facet.querySelectorAll("input[type=checkbox]")]
      .filter((b) => b.checked).map((b) => b.value) : [];
    const dots = chosen.length ? [...markers()]
      .filter((a) => chosen.includes(a.getAttribute("data-region")))
      .map((a) => a.querySelector("circle")) : [];
    if (!dots.length) {
      svg.setAttribute("viewBox", initial);
      box = svg.viewBox.baseVal;
      size();
      return;
    }
    const xs = dots.map((c) => parseFloat(c.getAttribute("cx")));
    const ys = dots.map((c) => parseFloat(c.getAttribute("cy")));
    const x0 = Math.min(...xs), x1 = Math.max(...xs);
    const y0 = Math.min(...ys), y1 = Math.max(...ys);
    const side = Math.max(x1 - x0, y1 - y0) + 80;
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    svg.setAttribute("viewBox", [cx - side / 2, cy - side / 2, side, side].map((v) => v.toFixed(1)).join(" "));
    box = svg.viewBox.baseVal;
    size();
  }

  if (facet) {
    facet.addEventListener("change", () => setTimeout(zoom, 0));
    // the explorer rewrites its status after every filtering (a change, the state read
    // from the address, « tout effacer »): zoom then too
    const status = explorer.querySelector("[data-kb-status]");
    if (status && window.MutationObserver) {
      new MutationObserver(() => zoom()).observe(status, { childList: true, characterData: true, subtree: true });
    }
    zoom();
  }
}

function init() {
  document.querySelectorAll("svg.kb-map__svg").forEach((svg) => {
    if (!svg.getAttribute("data-kb-map-ready")) {
      svg.setAttribute("data-kb-map-ready", "1");
      setup(svg);
    }
  });
}

document.addEventListener("kb-map-added", init);  // a map the explorer loaded on demand
onReady(init);
