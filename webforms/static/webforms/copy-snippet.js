// Get HTML page: "Copy HTML" puts the snippet on the clipboard. The clipboard API needs a secure page
// (https or localhost); elsewhere the text is selected for the user to copy with Ctrl+C.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById("copy-status");
  const selectIt = () => {
    source.focus();
    source.select();
    status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
  };
  if (!navigator.clipboard) {
    selectIt();
    return;
  }
  navigator.clipboard.writeText(source.value).then(() => {
    status.textContent = "Copied to the clipboard.";
  }, selectIt);
});
