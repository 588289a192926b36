// Settings › Picklist Editor. Choosing a module, field or role shows it at once (the Show button does the same
// without JavaScript). Values are reordered by dragging a row by its handle; SortableJS does the dragging and
// the new order (every value's id) goes to the server, which answers with the list as it now has it (or, when
// it refuses, as it was), so the page never shows an order that was not stored. Tick boxes not yet saved keep
// their state across that swap. Without JavaScript, each row's Up and Down buttons move it.
document.addEventListener("change", (event) => {
  const chooser = event.target.closest("#picklist-chooser");
  if (chooser && event.target.matches("select")) chooser.requestSubmit();
});

function initPicklistValues(root) {
  const container = root.id === "picklist-values" ? root : root.querySelector("#picklist-values");
  if (!container || typeof Sortable === "undefined") return;
  const rows = container.querySelector("tbody.picklist-rows");
  if (!rows || !rows.querySelector("tr[data-value-id]")) return;
  Sortable.create(rows, {
    handle: ".picklist-handle",
    draggable: "tr[data-value-id]",
    ghostClass: "table-active",
    onEnd: (event) => {
      if (event.oldIndex === event.newIndex) return;
      const order = [...rows.querySelectorAll("tr[data-value-id]")].map((row) => row.dataset.valueId);
      const ticked = new Map(
        [...rows.querySelectorAll("input[type=checkbox][name=values]")].map((box) => [box.value, box.checked]),
      );
      htmx
        .ajax("POST", container.dataset.reorderUrl, {
          source: container,
          target: "#picklist-values",
          swap: "outerHTML",
          values: {
            module: container.dataset.module,
            field: container.dataset.field,
            role: container.dataset.role,
            order: order.join(","),
          },
        })
        .then(() => {
          document.querySelectorAll("#picklist-values input[type=checkbox][name=values]").forEach((box) => {
            if (ticked.has(box.value)) box.checked = ticked.get(box.value);
          });
        });
    },
  });
}
htmx.onLoad(initPicklistValues);

// A drop the server cannot read answers 400 with the current list: show it too (422 is handled for every page).
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 400 && event.detail.target.id === "picklist-values") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
