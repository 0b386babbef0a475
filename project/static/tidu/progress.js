// Long work shows progress: any [data-progress-url] element with a <progress> and a [data-progress-text]
// polls its JSON ({done, total, finished}) every second and reloads the page once the work has finished.
(function () {
  document.querySelectorAll("[data-progress-url]").forEach(function (card) {
    var bar = card.querySelector("progress");
    var text = card.querySelector("[data-progress-text]");
    function poll() {
      fetch(card.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (progress) {
          if (progress.finished) { window.location.reload(); return; }
          bar.max = progress.total;
          bar.value = progress.done;
          if (text) text.textContent = progress.done + " / " + progress.total;
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
