// Selecting words in an article fills the "Add a claim" form with those exact words and
// where they start, so the claim anchors to the place the Editor chose even when the
// same words appear more than once. Offsets count Unicode code points, as the server
// does; every piece of article text in the page carries its own offset in data-at.
(() => {
  "use strict";
  const article = document.querySelector(".nd-article[data-selectable]");
  const bodyData = document.getElementById("article-body");
  const form = document.getElementById("add-claim");
  const bar = document.querySelector(".nd-select-bar");
  if (!article || !bodyData || !form || !bar) return;

  const body = Array.from(JSON.parse(bodyData.textContent));
  const button = bar.querySelector("[data-claim-selection]");
  const codePoints = (text) => Array.from(text).length;
  let chosen = null;

  function edge(range, piece, isStart) {
    const container = isStart ? range.startContainer : range.endContainer;
    const offset = isStart ? range.startOffset : range.endOffset;
    const at = Number(piece.dataset.at);
    if (container.nodeType === Node.TEXT_NODE && piece.contains(container)) {
      return at + codePoints(container.data.slice(0, offset));
    }
    // The selection begins or ends outside this piece: take all of it.
    return isStart ? at : at + codePoints(piece.textContent);
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer)) return null;
    const pieces = Array.from(article.querySelectorAll("[data-at]")).filter((piece) =>
      range.intersectsNode(piece),
    );
    if (pieces.length === 0) return null;
    let start = edge(range, pieces[0], true);
    let end = edge(range, pieces[pieces.length - 1], false);
    while (start < end && /\s/.test(body[start])) start += 1;
    while (end > start && /\s/.test(body[end - 1])) end -= 1;
    return end > start ? { start, end } : null;
  }

  bar.hidden = false;
  document.addEventListener("selectionchange", () => {
    const span = selectedSpan();
    // Keep the last selection: pressing the button must not lose it.
    if (span || !document.activeElement || document.activeElement !== button) {
      chosen = span;
    }
    button.disabled = chosen === null;
  });

  button.addEventListener("click", () => {
    if (!chosen) return;
    const quote = form.querySelector("[name=quote]");
    const start = form.querySelector("input[name=start]:not([type=radio])");
    quote.value = body.slice(chosen.start, chosen.end).join("");
    if (start) start.value = String(chosen.start);
    form.open = true;
    form.scrollIntoView({ block: "nearest" });
    const next = form.querySelector("[name=attributed_to]") || quote;
    next.focus();
  });
})();
