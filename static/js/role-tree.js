// Settings › Roles: drag a role by its handle onto another role to move it below that role, with its whole
// branch. SortableJS does the dragging; the role under the pointer when the role is let go is the new parent.
// Sortable is told never to rearrange the lists while dragging (onMove returns false): a nested list that
// shifted under the pointer would make the drop land somewhere other than where the admin aimed.
// The server decides: it answers every drop with the tree as it now stands (or, when it refuses the move, as
// it was), which replaces the tree on the page; so the page never shows a move that did not happen.
// Without JavaScript, each role's Move button leads to a page with a select of allowed new parents.
function initRoleTree(root) {
  const container = root.id === "role-tree" ? root : root.querySelector("#role-tree");
  if (!container || typeof Sortable === "undefined") return;
  let target = null;

  function aimAt(element) {
    const row = element && element.closest ? element.closest(".role-row") : null;
    if (row === target) return;
    if (target) target.classList.remove("drop-target");
    target = row && container.contains(row) ? row : null;
    if (target) target.classList.add("drop-target");
  }

  // Native drag and drop (mouse) reports the element under the pointer here, in the capture phase because
  // Sortable stops the event in the lists; touch dragging (Sortable's fallback) reports it through onMove.
  container.addEventListener("dragover", (event) => aimAt(event.target), true);

  container.querySelectorAll("ul.role-children").forEach((list) => {
    Sortable.create(list, {
      group: "roles",
      handle: ".role-handle",
      ghostClass: "role-ghost",
      onStart: () => aimAt(null),
      onMove: (event, originalEvent) => {
        aimAt(originalEvent && originalEvent.target);
        return false;
      },
      onEnd: (event) => {
        const row = target;
        aimAt(null);
        const dragged = event.item;
        // Let go outside any role, or on the dragged role itself: nothing to do. Let go on a role below the
        // dragged one: the server refuses and says why.
        if (!row || row.parentElement === dragged) return;
        const newParent = row.closest("li.role-node").dataset.roleId;
        htmx.ajax("POST", container.dataset.moveUrl, {
          source: container,
          target: "#role-tree",
          swap: "outerHTML",
          values: { role: dragged.dataset.roleId, new_parent: newParent },
        });
      },
    });
  });
}
htmx.onLoad(initRoleTree);

// A drop the server cannot read (a role deleted meanwhile) answers 400 with the current tree: show it too.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 400 && event.detail.target.id === "role-tree") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
