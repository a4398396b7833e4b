// A button marked data-copy="ID" copies the text of the element with that id to the clipboard.
// Hidden until this script shows it, so a page without JavaScript has no dead button.

for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = button.dataset.copied || button.textContent;
  });
}
