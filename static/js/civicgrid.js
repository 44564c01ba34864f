// Behaviour shared by every page. The Content-Security-Policy forbids inline handlers
// (docs/architecture.md, rule 7), so markup asks for it with data attributes instead:
//   <select data-autosubmit>  submits its form when changed (the language switch);
//   <button data-print>       opens the browser's print dialog (printed ledgers).
document.addEventListener("change", (e) => {
  const field = e.target.closest && e.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (e) => {
  if (e.target.closest && e.target.closest("[data-print]")) window.print();
});
