// The import job page: poll the job's progress and reload the page (with its report) when it ends.
(function () {
  var card = document.querySelector("[data-testid=import-job]");
  if (!card || card.dataset.finished === "true") return;
  var bar = card.querySelector("progress");
  var rows = card.querySelector("[data-testid=import-job-rows]");
  function poll() {
    fetch(card.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.finished) { window.location.reload(); return; }
        bar.max = job.rows_total;
        bar.value = job.rows_done;
        rows.textContent = job.rows_done + " / " + job.rows_total;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
