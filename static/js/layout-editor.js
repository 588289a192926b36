// Settings › Layout Editor: drag fields by their handle within and between blocks, and blocks by theirs among
// the blocks. SortableJS does the dragging; after each drop the whole arrangement the page now shows (every
// block in order, each with its field names in order) is posted, and the server answers with the editor as it
// stands, which replaces the one on the page: the page never shows an arrangement the server did not store.
// Without JavaScript, each field and block has Move Up / Move Down buttons.
//
// On the Add Custom Field page, the picklist values input shows only for the two picklist types.
function initLayoutEditor(root) {
  const editor = root.id === "layout-editor" ? root : root.querySelector("#layout-editor");
  if (!editor || typeof Sortable === "undefined") return;

  function arrangement() {
    return Array.from(editor.querySelectorAll(".layout-block")).map((block) => ({
      block: block.dataset.block,
      fields: Array.from(block.querySelectorAll(".layout-field")).map((field) => field.dataset.field),
    }));
  }

  function save() {
    htmx.ajax("POST", editor.dataset.arrangeUrl, {
      source: editor,
      target: "#layout-editor",
      swap: "outerHTML",
      values: { arrangement: JSON.stringify(arrangement()) },
    });
  }

  editor.querySelectorAll(".layout-blocks").forEach((list) => {
    Sortable.create(list, {
      handle: ".block-handle",
      draggable: ".layout-block",
      ghostClass: "layout-ghost",
      onEnd: (event) => {
        if (event.oldIndex !== event.newIndex) save();
      },
    });
  });
  editor.querySelectorAll(".layout-fields").forEach((list) => {
    Sortable.create(list, {
      group: "layout-fields",
      handle: ".field-handle",
      draggable: ".layout-field",
      ghostClass: "layout-ghost",
      onEnd: (event) => {
        if (event.from !== event.to || event.oldIndex !== event.newIndex) save();
      },
    });
  });
}
htmx.onLoad(initLayoutEditor);

// A refused arrangement (a block or field added meanwhile) answers 400 with the editor as stored: show it.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 400 && event.detail.target.id === "layout-editor") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

function initPicklistValues() {
  const form = document.getElementById("custom-field-form");
  if (!form) return;
  const type = form.querySelector("[name=field_type]");
  const values = document.getElementById("picklist-values");
  if (!type || !values) return;
  const toggle = () => {
    values.hidden = !["picklist", "multipicklist"].includes(type.value);
  };
  type.addEventListener("change", toggle);
  toggle();
}
document.addEventListener("DOMContentLoaded", initPicklistValues);
