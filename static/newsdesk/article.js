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

  // A long article is shown a part at a time: the page holds that part's text, and where
  // it starts in the article (data-offset), which every offset here is counted from.
  const body = Array.from(JSON.parse(bodyData.textContent));
  const offset = Number(article.dataset.offset || 0);
  const button = bar.querySelector("[data-claim-selection]");
  const warning = bar.querySelector("[data-span-warning]");
  const codePoints = (text) => Array.from(text).length;
  let chosen = null;
  // A selection over several paragraphs, waiting for the Editor to confirm or adjust it.
  let pending = null;

  // Blank lines separate paragraphs, as on the server (claims/highlight.py).
  const paragraphCount = (text) => text.split(/\n{2,}/).filter((p) => p.length > 0).length;
  const textOf = (span) => body.slice(span.start - offset, span.end - offset).join("");

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
    while (start < end && /\s/.test(body[start - offset])) start += 1;
    while (end > start && /\s/.test(body[end - 1 - offset])) end -= 1;
    return end > start ? { start, end } : null;
  }

  function hideWarning() {
    pending = null;
    warning.hidden = true;
  }

  bar.hidden = false;
  document.addEventListener("selectionchange", () => {
    const span = selectedSpan();
    // Keep the last selection: pressing the button must not lose it.
    if (span || !document.activeElement || document.activeElement !== button) {
      chosen = span;
    }
    button.disabled = chosen === null;
    // A new selection replaces the one the warning was about.
    if (pending && span && (span.start !== pending.start || span.end !== pending.end)) {
      hideWarning();
    }
  });

  function fillForm(span, confirmed) {
    const quote = form.querySelector("[name=quote]");
    const start = form.querySelector("input[name=start]:not([type=radio])");
    const spans = form.querySelector("[name=spans_paragraphs]");
    quote.value = textOf(span);
    if (start) start.value = String(span.start);
    if (spans) {
      if (spans.type === "checkbox") spans.checked = confirmed;
      else spans.value = confirmed ? "on" : "";
      // Other words in the box were not what the Editor confirmed.
      quote.addEventListener(
        "input",
        () => {
          if (spans.type === "checkbox") spans.checked = false;
          else spans.value = "";
        },
        { once: true },
      );
    }
    form.open = true;
    form.scrollIntoView({ block: "nearest" });
    const next = form.querySelector("[name=attributed_to]") || quote;
    next.focus();
  }

  button.addEventListener("click", () => {
    if (!chosen) return;
    const count = paragraphCount(textOf(chosen));
    if (count < 2 || !warning) {
      fillForm(chosen, false);
      return;
    }
    // Most often a drag that overshot: show what was selected and ask first.
    pending = chosen;
    warning.querySelector("[data-span-count]").textContent = String(count);
    warning.querySelector("[data-span-text]").textContent = textOf(chosen);
    warning.hidden = false;
    warning.querySelector("[data-span-adjust]").focus();
  });

  if (warning) {
    warning.querySelector("[data-span-adjust]").addEventListener("click", () => {
      hideWarning();
      button.focus();
    });
    warning.querySelector("[data-span-confirm]").addEventListener("click", () => {
      const span = pending;
      hideWarning();
      if (span) fillForm(span, true);
    });
  }
})();
