// Volunteer check-in on the phone: ask for the position, put it in the form's hidden fields,
// then submit. The server decides (time window, distance) and answers with a message; when the
// browser gives no position the form is sent without one and the server says why it refuses.
(function () {
  const form = document.querySelector("form[data-checkin]");
  if (!form) return;
  const status = form.querySelector("[data-checkin-status]");
  let located = false;
  form.addEventListener("submit", (e) => {
    if (located || !navigator.geolocation) return;
    e.preventDefault();
    if (status) status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lng.value = pos.coords.longitude.toFixed(6);
        located = true;
        form.submit();
      },
      () => {
        located = true;
        form.submit();
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
