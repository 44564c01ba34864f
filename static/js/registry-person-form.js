// The floating-population questions (reason, arrival, expected stay, lodging) only apply to
// 流动人口: hide them otherwise so a grid worker scrolls less on a phone. Without JavaScript
// every field stays visible.
document.addEventListener("DOMContentLoaded", () => {
  const residency = document.querySelector("select[name=residency]");
  const fields = [...document.querySelectorAll("[data-floating]")].map((el) => el.closest(".field"));
  if (!residency || !fields.length) return;
  const sync = () => {
    const floating = residency.value === "floating";
    fields.forEach((field) => { if (field) field.hidden = !floating; });
  };
  residency.addEventListener("change", sync);
  sync();
});
