// A file drop zone (the upload page, My data's update): files chosen with the input or dropped
// on the zone reach `onFiles`; a drop with files submits the form at once.
export function watchDropzone({ form, input, dropzone, button, onFiles }) {
  input.addEventListener("change", () => onFiles(input.files));
  for (const type of ["dragenter", "dragover"]) {
    dropzone.addEventListener(type, (event) => {
      event.preventDefault();
      dropzone.classList.add("dragging");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    dropzone.addEventListener(type, (event) => {
      event.preventDefault();
      dropzone.classList.remove("dragging");
    });
  }
  dropzone.addEventListener("drop", (event) => {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      onFiles(event.dataTransfer.files);
      if (!button.disabled) form.requestSubmit();
    }
  });
}
