// Upload page: each file goes up on its own request with a progress bar, and its result row
// replaces the bar. Files go one after another: the rows appear at once, the server stores one
// message at a time. Without JavaScript the form posts all files at once and still works.
(() => {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const results = document.querySelector("#upload-results tbody");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const url = form.dataset.uploadUrl;

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  let queue = Promise.resolve();

  function send(file) {
    const row = document.createElement("tr");
    row.className = "upload-result";
    const status = document.createElement("td");
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    status.append(bar);
    row.append(cell(file.name), status, cell(""), cell(""));
    results.prepend(row);

    queue = queue.then(() => upload(file, row, status, bar));
  }

  function upload(file, row, status, bar) {
    return new Promise((done) => {
      const body = new FormData();
      body.append("file", file);
      const airline = document.getElementById("airline");
      if (airline && airline.value) body.append("airline", airline.value);
      const request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", csrf);
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable)
          bar.value = Math.round((100 * event.loaded) / event.total);
      });
      request.addEventListener("loadend", done);
      request.addEventListener("load", () => {
        const holder = document.createElement("tbody");
        holder.innerHTML = request.responseText.trim();
        const answer = holder.querySelector("tr");
        if (answer) {
          row.replaceWith(answer);
          if (window.htmx) window.htmx.process(answer);
        } else {
          status.textContent = `${request.status} ${request.statusText}`;
        }
      });
      request.addEventListener("error", () => {
        status.textContent = "The upload failed: the connection was lost.";
      });
      request.send(body);
    });
  }

  function sendAll(files) {
    Array.from(files).forEach(send);
    input.value = "";
  }

  form.addEventListener("submit", (event) => {
    if (!input.files.length) return;
    event.preventDefault();
    sendAll(input.files);
  });
  input.addEventListener("change", () => sendAll(input.files));
  ["dragenter", "dragover"].forEach((name) =>
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    }),
  );
  ["dragleave", "drop"].forEach((name) =>
    zone.addEventListener(name, () => zone.classList.remove("dragging")),
  );
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    sendAll(event.dataTransfer.files);
  });
})();
