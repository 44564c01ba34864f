// Fills the building form's latitude/longitude from the phone's position, so a grid worker
// standing at the door does not type coordinates. The server locates the grid from them.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-locate]");
  const status = document.querySelector("[data-locate-status]");
  const lat = document.querySelector("input[name=lat]");
  const lng = document.querySelector("input[name=lng]");
  if (!button || !lat || !lng) return;
  if (!("geolocation" in navigator)) {
    button.disabled = true;
    status.textContent = "此设备不支持定位,请手工填写坐标";
    return;
  }
  button.addEventListener("click", () => {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        status.textContent = `已定位(精度约 ${Math.round(pos.coords.accuracy)} 米)`;
      },
      () => { status.textContent = "定位失败,请手工填写坐标"; },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
});
