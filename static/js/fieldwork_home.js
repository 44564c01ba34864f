// The grid worker's home screen: says when the app is ready for offline use, and the 待同步
// tile opens the panel below it (its count is kept by fieldwork_outbox.js).
(function () {
  const state = document.getElementById("sw-state");
  if (state && "serviceWorker" in navigator) {
    navigator.serviceWorker.ready.then(() => {
      state.textContent = state.dataset.msgReady;
      state.dataset.ready = "1";
    });
  }
  const tile = document.getElementById("tile-outbox");
  const details = document.getElementById("outbox-details");
  if (tile && details) {
    tile.addEventListener("click", () => {
      details.open = true;
    });
  }
})();
