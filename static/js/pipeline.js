// Potentials › Pipeline: drag a card to another stage's column to move the potential to that stage.
// SortableJS does the dragging; on a drop into another column the card's potential and the column's stage are
// posted to the board's move URL with htmx. The server answers every move with the board as it now stands
// (new totals included), or, when it refuses the move (no edit right, a stage the role cannot pick), with the
// board as it was and a message: the board is swapped whole, so the card snaps back by itself.
// Without JavaScript, each card's stage select and Move button post the same form.
function initPipeline(root) {
  const board = root.id === "pipeline-board" ? root : root.querySelector("#pipeline-board");
  if (!board || typeof Sortable === "undefined") return;
  // The select + Move button stay for keyboard users; dragging is the pointer's shortcut.
  board.querySelectorAll("ul.pipeline-cards").forEach((list) => {
    Sortable.create(list, {
      group: { name: "pipeline", pull: true, put: list.dataset.droppable === "true" },
      draggable: ".pipeline-card.movable",
      filter: "select, button, input, label",
      preventOnFilter: false,
      ghostClass: "pipeline-ghost",
      sort: false,
      onEnd: (event) => {
        if (event.to === event.from) return;
        htmx.ajax("POST", board.dataset.moveUrl, {
          source: board,
          target: "#pipeline-board",
          swap: "outerHTML",
          values: { potential: event.item.dataset.potentialId, stage: event.to.dataset.stage },
        });
      },
    });
  });
}
htmx.onLoad(initPipeline);

// A refused move answers 403 / 404 / 422 / 400 with the board as it stands: show it (and its message) too.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (event.detail.target.id === "pipeline-board" && [400, 403, 404, 422].includes(status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
