// The article page while a job prepares a long article's suggestions
// (templates/articles/_suggestions_waiting.html): ask how far it has got every 2 s, show it,
// and reload the page once the job has finished (or failed) to show what it made.
(() => {
  "use strict";
  const box = document.querySelector("[data-suggestion-progress]");
  if (!box || !window.fetch) return;
  const url = box.dataset.suggestionProgress;
  const said = box.querySelector("[data-run-said]");
  const bar = box.querySelector("[data-run-bar]");
  const EVERY = 2000;

  const show = (run) => {
    const what = run.accept ? "Accepting suggestions" : "Preparing suggestions for this long article";
    let text = `${what}: ${run.percent}%`;
    if (run.sentences_total) {
      text += ` (${run.sentences_done} of ${run.sentences_total} sentences)`;
    }
    if (run.status === "queued") text += ", waiting for the background worker to start";
    text += ".";
    // Only on a change: a screen reader reads the live region out each time it is written.
    if (said.textContent !== text) said.textContent = text;
    bar.value = run.percent;
    bar.textContent = `${run.percent}%`;
  };

  const poll = () => {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((run) => {
        if (run.status === "queued" || run.status === "running") {
          show(run);
          window.setTimeout(poll, EVERY);
        } else {
          window.location.reload();
        }
      })
      // A passing network or server error: keep asking, less often.
      .catch(() => window.setTimeout(poll, EVERY * 3));
  };

  window.setTimeout(poll, EVERY);
})();
