// The grid worker's task page: tick an item done or not applicable through the task API, with
// a photo (shrunk on the phone to at most 1600 px, sent as base64 in the JSON) and a GPS fix
// when the task asks for them. When the offline outbox (fieldwork_outbox.js) is loaded, ticks
// go through it: it adds the client_key and queues them while there is no network; otherwise
// the page sends them itself with its own client_key, so a retried tick never counts twice.
(function () {
  const box = document.getElementById("task-items");
  if (!box) return;
  const api = box.dataset.api;
  const needsLocation = box.dataset.needsLocation === "1";
  const message = document.getElementById("task-message");
  // Words come from the page (data-msg-*, translated there); the fallbacks are the Chinese.
  const msg = (name, fallback) => box.dataset["msg" + name[0].toUpperCase() + name.slice(1)] || fallback;
  const say = (text, bad) => {
    message.textContent = text || "";
    message.hidden = !text;
    message.classList.toggle("bad", Boolean(bad));
  };
  const csrf = () => {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };
  const newKey = () => {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };

  // The outbox's shrink (fieldwork_outbox.js) when loaded; the photo as it is otherwise.
  const shrink = (file) =>
    window.CivicOutbox && window.CivicOutbox.shrink
      ? window.CivicOutbox.shrink(file)
      : new Promise((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(reader.result);
          reader.onerror = () => reject(new Error(msg("photo", "照片无法读取,请重新拍照")));
          reader.readAsDataURL(file);
        });

  const locate = () =>
    new Promise((resolve, reject) => {
      if (!navigator.geolocation) {
        reject(new Error(msg("noGps", "本设备无法定位")));
        return;
      }
      navigator.geolocation.getCurrentPosition(
        (pos) => resolve({ lat: pos.coords.latitude, lng: pos.coords.longitude }),
        () => reject(new Error(msg("gps", "无法获取定位,请开启手机定位后重试"))),
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });

  const send = async (item, body, label) => {
    const url = api + item + "/tick";
    if (window.CivicOutbox && typeof window.CivicOutbox.send === "function") {
      return window.CivicOutbox.send({ kind: "task_tick", label: label, url: url, json: body });
    }
    body.client_key = body.client_key || newKey();
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    });
  };

  const show = (card, data) => {
    const counter = document.getElementById("my-done");
    if (counter && card.classList.contains("st-todo") && data.status && data.status !== "todo") {
      counter.textContent = String(Number(counter.textContent) + 1);
    }
    card.className = "card fw-item st-" + data.status;
    card.querySelector(".fw-item-status").textContent = data.status_label;
    const done = card.querySelector(".fw-item-done");
    const parts = [data.done_by];
    if (data.note) parts.push(data.note);
    done.textContent = parts.join(" · ");
    if (data.photo_url) {
      const link = document.createElement("a");
      link.href = data.photo_url;
      link.textContent = msg("photoLink", "照片");
      done.append(" · ", link);
    }
  };

  box.addEventListener("submit", async (event) => {
    const form = event.target.closest(".fw-tick-form");
    if (!form) return;
    event.preventDefault();
    const card = form.closest("[data-item]");
    const button = event.submitter;
    const status = button ? button.value : "done";
    const note = form.elements.note.value.trim();
    if (status === "na" && !note) {
      say(msg("reason", "请填写不适用的原因"), true);
      form.elements.note.focus();
      return;
    }
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    say(msg("sending", "正在提交……"));
    try {
      const body = { status: status, note: note };
      const picker = form.elements.photo;
      if (picker && picker.files && picker.files[0]) body.photo = await shrink(picker.files[0]);
      if (needsLocation && status === "done") Object.assign(body, await locate());
      const label = card.querySelector(".fw-item-label").textContent;
      const result = await send(card.dataset.item, body, label);
      if (result && typeof result.json === "function") {
        // Sent by this page itself (no outbox loaded): a fetch Response.
        const data = await result.json().catch(() => ({}));
        if (!result.ok) {
          say(typeof data.detail === "string" ? data.detail : msg("failed", "提交失败,请检查后重试"), true);
          return;
        }
        show(card, data);
        say(msg("sent", "已提交:") + label);
        form.reset();
      } else if (result && result.ok) {
        show(card, result.body || {});
        say(msg("sent", "已提交:") + label);
        form.reset();
      } else if (result && result.queued) {
        say(msg("queued", "已保存在手机上,联网后自动提交:") + label);
        form.reset();
      } else {
        const detail = result && result.body ? result.body.detail : "";
        say(typeof detail === "string" && detail ? detail : msg("failed", "提交失败,请检查后重试"), true);
      }
    } catch (err) {
      say(err && err.message ? err.message : msg("later", "提交失败,请稍后重试"), true);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
})();
