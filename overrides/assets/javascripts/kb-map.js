/* Maps (issues 13, 20), an ES module: every marker gets a tap target of at least 24 CSS pixels
 * whatever the drawn scale, and its name appears on hover, when the marker has the keyboard
 * focus, when the matching link of the list under the map has it, and on a first tap (a second
 * tap on the same marker follows its link). The name is a box over the figure, kept inside it
 * and wrapped when long, so that it is never cut by the edge of the map on a phone. Names are
 * inserted as text, never as HTML. On the explorer, the map zooms on the places of the
 * selected régions. Helpers shared with the other scripts: kb-common.js. */
import { onReady } from "./kb-common.js";

const MIN_PX = 12.5;  // radius: a target of at least 24 px, whatever the rounding
const FINGER_PX = 14;  // places closer than this to a tap are listed together

function setup(svg) {
  let box = svg.viewBox.baseVal;
  const fullWidth = box && box.width ? box.width : 1;
  const figure = svg.closest(".kb-map");
  const tip = document.createElement("span");
  tip.className = "kb-map__tip";
  tip.setAttribute("aria-hidden", "true");  // the marker's own label is what is read
  tip.hidden = true;
  (figure || svg.parentNode).appendChild(tip);
  let scale = 1;
  let sized = "";  // the scale and zoom the markers were last sized for
  let hits = null;
  let touched = null;  // the marker named by the last tap, which a second tap follows
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

  function nameOf(a) {
    const title = a.querySelector("circle title");
    return title ? title.textContent : "";
  }

  function clearActive() {
    svg.querySelectorAll(".kb-map--active").forEach((x) => x.classList.remove("kb-map--active"));
  }

  // ``others``: the places next to it (a tap on a phone cannot tell them apart): the box then
  // lists them all, each a link to its page
  function show(a, others) {
    const dot = a.querySelector("circle");
    clearActive();
    a.classList.add("kb-map--active");
    tip.textContent = "";
    tip.classList.remove("kb-map__tip--list");
    if (others && others.length > 1) {
      tip.classList.add("kb-map__tip--list");
      tip.removeAttribute("aria-hidden");
      const list = document.createElement("ul");
      others.forEach((o) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
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
    const host = tip.offsetParent || tip.parentNode;
    const frame = host.getBoundingClientRect();
    const spot = dot.getBoundingClientRect();
    const x = spot.left + spot.width / 2 - frame.left;
    const left = Math.max(0, Math.min(x - tip.offsetWidth / 2, host.clientWidth - tip.offsetWidth));
    let top = spot.top - frame.top - tip.offsetHeight - 6;
    if (top < 0) top = spot.bottom - frame.top + 6;
    tip.style.left = left.toFixed(1) + "px";
    tip.style.top = top.toFixed(1) + "px";
  }

  function hide() {
    tip.textContent = "";
    tip.hidden = true;
    touched = null;
    clearActive();
  }

  // the visible markers within a finger's reach of a point of the screen, nearest first (tap
  // targets of neighbouring places overlap on a phone: a tap goes to the nearest, not the topmost)
  function near(clientX, clientY) {
    const found = [];
    markers().forEach((a) => {
      const spot = a.querySelector("circle").getBoundingClientRect();
      if (!spot.width) return;  // filtered out (display: none)
      const d = Math.hypot(spot.left + spot.width / 2 - clientX, spot.top + spot.height / 2 - clientY);
      if (d <= FINGER_PX) found.push([d, a]);
    });
    found.sort((x, y) => x[0] - y[0]);
    return found.map((x) => x[1]);
  }

  let lastPointer = "mouse";
  markers().forEach((a) => {
    a.addEventListener("pointerdown", (e) => { lastPointer = e.pointerType; });
    a.addEventListener("mouseenter", () => { if (lastPointer === "mouse") show(a); });
    a.addEventListener("mouseleave", () => { if (lastPointer === "mouse" && document.activeElement !== a) hide(); });
    a.addEventListener("focus", () => show(a));
    a.addEventListener("blur", () => { if (!touched) hide(); });  // a tapped name stays until a tap elsewhere
    // on a touch screen, a first tap names the nearest place; a second tap on it opens its page
    a.addEventListener("click", (e) => {
      if (lastPointer !== "touch" && lastPointer !== "pen") return;
      const around = (e.clientX || e.clientY) ? near(e.clientX, e.clientY) : [];
      const target = around[0] || a;
      if (touched === target && around.length <= 1) {
        if (target !== a) {
          e.preventDefault();
          window.location.assign(new URL(target.getAttribute("href"), document.baseURI).href);
        }
        return;
      }
      e.preventDefault();
      touched = null;
      show(target, around);
      touched = target;
    });
  });
  // a tap elsewhere (but on the box of names) puts the name away
  document.addEventListener("pointerdown", (e) => {
    if (touched && !svg.contains(e.target) && !(tip.contains(e.target) && e.target.closest("a"))) hide();
  });
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
