// Small behaviours shared by every page; everything else is htmx attributes in the templates.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const table = all.closest("table");
  table.querySelectorAll("td input[type=checkbox]").forEach((box) => { box.checked = all.checked; });
});

// A form inside the modal that the server answers with HX-Redirect closes itself by navigating away;
// when the dialog is dismissed, its stale content is dropped.
document.addEventListener("hidden.bs.modal", (event) => {
  const body = event.target.querySelector(".modal-content");
  if (body) body.innerHTML = "";
});

// htmx does not swap error answers by default; our forms answer 422 with the form and its errors.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
