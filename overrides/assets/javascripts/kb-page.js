/* Small enhancements of every page (ES module):
 *  - <time data-kb-ago datetime="2026-03-22"> gets "(il y a 8 mois)" after it, computed
 *    today in the reader's browser (the page itself only carries absolute dates);
 *  - [data-kb-print] placeholders become an « Imprimer cette fiche » button;
 *  - the printed colophon's [data-kb-address] gets the page's full address when the site
 *    has no canonical address (no site_url). */
import { ago, onReady } from "./kb-common.js";

function relativeDates() {
  document.querySelectorAll("time[data-kb-ago]").forEach((time) => {
    if (time.nextElementSibling && time.nextElementSibling.classList.contains("kb-ago")) return;
    const span = document.createElement("span");
    span.className = "kb-ago";
    span.textContent = " (" + ago(time.getAttribute("datetime")) + ")";
    time.after(span);
  });
}

function printButtons() {
  document.querySelectorAll("[data-kb-print]").forEach((slot) => {
    if (slot.querySelector("button")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button kb-print-button";
    button.textContent = "Imprimer cette fiche";
    button.addEventListener("click", () => window.print());
    slot.appendChild(button);
    slot.hidden = false;
  });
}

function printedAddress() {
  document.querySelectorAll("[data-kb-address]").forEach((span) => {
    if (!/^https?:\/\//.test(span.textContent.trim())) span.textContent = location.href.split("#")[0];
  });
}

function start() {
  relativeDates();
  printButtons();
  printedAddress();
}

onReady(start);
