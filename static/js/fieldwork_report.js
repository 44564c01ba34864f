// 拍照上报 on the phone, with or without a network: photos (shrunk on the phone before they
// are stored), the category (the last one used is remembered), words, and the place from the
// phone's fix or, without one, the grid and an address. Sent through the outbox
// (fieldwork_outbox.js) to POST /api/v1/fieldwork/reports, which stores it once per key.
(function () {
  const form = document.getElementById("quick-report");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  const d = form.dataset;
  const MAX_SIDE = 1600;
  const LAST_CATEGORY = "civicgrid.report.category";
  const maxPhotos = Number(d.maxPhotos || 3);
  const photos = [];
  let fix = null;

  const category = form.querySelector("select[name=category]");
  const description = form.querySelector("textarea[name=description]");
  const urgent = form.querySelector("input[name=urgent]");
  const grid = form.querySelector("select[name=grid]");
  const address = form.querySelector("input[name=address]");

  const remembered = localStorage.getItem(LAST_CATEGORY);
  if (remembered && category.querySelector(`option[value="${CSS.escape(remembered)}"]`)) category.value = remembered;

  const say = (text, kind) => {
    const box = $("report-result");
    box.textContent = text || "";
    box.className = `fw-result ${kind || ""}`;
    box.hidden = !text;
  };

  // --- photos -----------------------------------------------------------------------------
  // A phone photo is often 4–8 MB: shrink it to at most 1600 px as JPEG so the outbox stores,
  // and later sends, a few hundred KB. Anything the browser cannot decode is sent as it is
  // (the server says why it refuses it).
  const shrink = async (file) => {
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg") return file;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
      if (!blob) return file;
      return new File([blob], (file.name || "photo").replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
    } catch (e) {
      return file;
    }
  };

  const drawPhotos = () => {
    const list = $("report-photos");
    list.replaceChildren();
    photos.forEach((photo, i) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = URL.createObjectURL(photo);
      img.alt = `${i + 1}`;
      li.append(img);
      list.append(li);
    });
    form.dataset.photos = String(photos.length);
  };

  $("report-photo").addEventListener("change", async (event) => {
    const input = event.target;
    for (const file of Array.from(input.files || [])) {
      if (photos.length >= maxPhotos) {
        say(d.msgTooMany, "bad");
        break;
      }
      photos.push(await shrink(file));
    }
    input.value = "";
    drawPhotos();
  });

  // --- place ------------------------------------------------------------------------------
  const locate = () => {
    if (!("geolocation" in navigator)) {
      $("report-fix").textContent = d.msgNoFix;
      return;
    }
    $("report-fix").textContent = d.msgLocating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        fix = { lat: position.coords.latitude, lng: position.coords.longitude };
        $("report-fix").textContent = d.msgLocated.replace("%(m)s", String(Math.round(position.coords.accuracy || 0)));
        form.dataset.fix = "1";
      },
      () => {
        fix = null;
        $("report-fix").textContent = d.msgNoFix;
        form.dataset.fix = "0";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  };
  $("report-relocate").addEventListener("click", locate);
  locate();

  // --- a report the server refused comes back into the form to be corrected ---------------
  // The corrected report keeps its client_key: if the refused one was in fact stored after
  // all, the server answers with that case instead of making a second one.
  let editingKey = "";
  window.CivicOutbox.editable("report", (item) => {
    const value = (name) => {
      const found = (item.form || []).find((e) => e.name === name && !e.blob);
      return found ? found.value : "";
    };
    if (category.querySelector(`option[value="${CSS.escape(value("category"))}"]`)) category.value = value("category");
    description.value = value("description");
    if (urgent) urgent.checked = value("urgent") === "true";
    address.value = value("address");
    if (grid) grid.value = "";
    if (value("lat") && value("lng")) fix = { lat: Number(value("lat")), lng: Number(value("lng")) };
    photos.length = 0;
    (item.form || []).filter((e) => e.blob).forEach((e) => photos.push(new File([e.blob], e.filename, { type: e.blob.type })));
    drawPhotos();
    editingKey = value("client_key");
    say(item.reason || "", "bad");
    form.scrollIntoView({ behavior: "smooth", block: "start" });
  });

  // --- send -------------------------------------------------------------------------------
  const placeText = () => [grid && grid.value, address.value.trim()].filter(Boolean).join(" ");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!category.value) return say(d.msgNeedCategory, "bad");
    if (!description.value.trim()) return say(d.msgNeedDescription, "bad");
    if (!fix && !placeText()) return say(d.msgNeedPlace, "bad");
    const data = new FormData();
    data.append("category", category.value);
    data.append("description", description.value.trim());
    data.append("urgent", urgent && urgent.checked ? "true" : "false");
    if (fix) {
      data.append("lat", String(fix.lat));
      data.append("lng", String(fix.lng));
    }
    data.append("address", placeText());
    photos.forEach((photo) => data.append("photos", photo, photo.name || "photo.jpg"));
    if (editingKey) data.append("client_key", editingKey);
    const chosen = category.options[category.selectedIndex];
    const label = `${d.msgLabel}:${chosen ? chosen.textContent.trim() : ""} ${description.value.trim().slice(0, 20)}`;
    localStorage.setItem(LAST_CATEGORY, category.value);
    $("report-send").disabled = true;
    try {
      const result = await window.CivicOutbox.send({ kind: "report", label, url: d.api, form: data });
      if (result.ok) {
        say(result.body.message || d.msgSent.replace("%(number)s", result.body.number), "ok");
      } else if (result.queued) {
        say(d.msgQueued, "queued");
        const key = result.client_key;
        document.addEventListener("civic-outbox-sent", (e) => {
          if (e.detail.item.client_key === key && e.detail.body) say(e.detail.body.message || d.msgSent.replace("%(number)s", e.detail.body.number), "ok");
        });
      } else {
        const detail = result.body && result.body.detail;
        say(d.msgRefused + (typeof detail === "string" ? detail : String(result.status)), "bad");
        return;
      }
      // Sent or safely waiting: clear the form for the next problem.
      editingKey = "";
      photos.length = 0;
      drawPhotos();
      description.value = "";
      if (urgent) urgent.checked = false;
      address.value = "";
    } finally {
      $("report-send").disabled = false;
    }
  });
})();
