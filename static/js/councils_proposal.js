// Proposal form: fill the hidden lat/lng from the phone's position when the resident asks.
(function () {
  "use strict";
  var button = document.getElementById("proposal-locate");
  if (!button || !navigator.geolocation) {
    if (button) button.hidden = true;
    return;
  }
  var note = document.getElementById("proposal-located");
  button.addEventListener("click", function () {
    note.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        document.getElementById(button.dataset.lat).value = pos.coords.latitude.toFixed(6);
        document.getElementById(button.dataset.lng).value = pos.coords.longitude.toFixed(6);
        note.textContent = button.dataset.located;
      },
      function () {
        note.textContent = button.dataset.failed;
      },
      { timeout: 10000 }
    );
  });
})();
