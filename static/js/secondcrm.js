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

// Reference pickers: the server renders only the chosen record; matches are fetched as the user types.
function initPickers(root) {
  root.querySelectorAll("select[data-picker-url]").forEach((select) => {
    if (select.tomselect) return;
    const url = new URL(select.dataset.pickerUrl, window.location.origin);
    if (select.dataset.pickerExclude) url.searchParams.set("exclude", select.dataset.pickerExclude);
    new TomSelect(select, {
      valueField: "id",
      labelField: "text",
      searchField: ["text", "number"],
      allowEmptyOption: true,
      preload: "focus",
      loadThrottle: 250,
      load(query, callback) {
        url.searchParams.set("q", query);
        fetch(url, { headers: { Accept: "application/json" } })
          .then((response) => response.json())
          .then((json) => callback(json.results))
          .catch(() => callback());
      },
      render: {
        option: (item, escape) => `<div>${escape(item.text)} <small class="text-body-secondary">${escape(item.number || "")}</small></div>`,
        no_results: () => '<div class="no-results">No matching records</div>',
      },
    });
  });
}
htmx.onLoad(initPickers);
