/* Acronyms explained on touch and keyboard, not only on hover (issue 21).
 * The glossary pass (kb/render/glossary.py) wraps an acronym's first use on a page in
 * <abbr title="forme développée">; a title tooltip never shows on a phone or to a keyboard
 * user. Each such abbr becomes focusable and, on tap or focus, shows its title in a small
 * bubble under it, kept inside the screen. The bubble is aria-hidden: assistive technology
 * already reads the title as the abbr's description, so it is not read twice. Escape, a tap
 * elsewhere or moving the focus away closes it. */
import { onReady } from "./kb-common.js";

let bubble = null;
let shownFor = null;

function place(abbr) {
  const box = abbr.getBoundingClientRect();
  const margin = 8;
  bubble.style.maxWidth = Math.min(320, document.documentElement.clientWidth - 2 * margin) + "px";
  bubble.style.left = "0px";
  bubble.style.top = "0px";
  const width = bubble.offsetWidth;
  const left = Math.max(margin, Math.min(box.left, document.documentElement.clientWidth - width - margin));
  bubble.style.left = left + scrollX + "px";
  bubble.style.top = box.bottom + scrollY + 4 + "px";
}

function show(abbr) {
  if (!bubble) {
    bubble = document.createElement("span");
    bubble.className = "kb-abbr-tip";
    bubble.setAttribute("aria-hidden", "true");
    document.body.appendChild(bubble);
  }
  bubble.textContent = abbr.getAttribute("title");
  bubble.hidden = false;
  shownFor = abbr;
  abbr.classList.add("kb-abbr-open");
  place(abbr);
}

function hide() {
  if (bubble) bubble.hidden = true;
  if (shownFor) shownFor.classList.remove("kb-abbr-open");
  shownFor = null;
}

function start() {
  document.querySelectorAll(".md-typeset abbr[title]").forEach((abbr) => {
    if (abbr.dataset.kbAbbr) return;
    abbr.dataset.kbAbbr = "1";
    if (!abbr.closest("a, button, summary")) abbr.tabIndex = 0;
    abbr.addEventListener("focus", () => show(abbr));
    abbr.addEventListener("blur", () => { if (shownFor === abbr) hide(); });
    abbr.addEventListener("click", () => show(abbr));
    abbr.addEventListener("mouseenter", () => { if (shownFor && shownFor !== abbr) hide(); });
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
  document.addEventListener("click", (event) => {
    if (shownFor && !shownFor.contains(event.target)) hide();
  });
  addEventListener("resize", () => { if (shownFor) place(shownFor); });
}

onReady(start);
