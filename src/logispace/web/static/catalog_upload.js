// Resumable upload of a data file (断点续传), for forms marked data-resumable.
//
// The file goes up in chunks through the resumable upload API: POST .../uploads names the file and
// its size, each PATCH sends the bytes from the offset in Upload-Offset, POST .../complete ingests it.
// The upload id is kept in localStorage under the file's name, size and date, so after a network
// failure (or a reload, choosing the same file again) the upload goes on from the offset the server
// reports. Without this script the form posts the whole file to the page route instead.
(function () {
  "use strict";

  function message(form, name, values) {
    var template = form.querySelector("template[data-testid=upload-messages]");
    var node = template && template.content.querySelector('[data-msg="' + name + '"]');
    var text = node ? node.textContent : name;
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("{" + key + "}", values[key]);
    });
    return text;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function setup(form) {
    var code = form.dataset.code;
    var chunkSize = parseInt(form.dataset.chunk, 10) || 1048576;
    var base = "/api/v1/catalog/resources/" + encodeURIComponent(code) + "/uploads";
    var input = form.querySelector("input[type=file]");
    var box = form.querySelector("[data-testid=upload-progress]");
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-testid=progress-text]");
    var startButton = form.querySelector("[data-testid=start-upload]");
    var resumeButton = form.querySelector("[data-testid=resume-upload]");
    var busy = false;

    function headers(extra) {
      var all = { "X-CSRF-Token": csrfToken(form), Accept: "application/json" };
      Object.keys(extra || {}).forEach(function (key) { all[key] = extra[key]; });
      return all;
    }

    function keyOf(file) {
      return "logispace-upload:" + code + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    }

    function show(offset, size, name) {
      var percent = size ? Math.floor((offset * 100) / size) : 0;
      box.hidden = false;
      bar.value = percent;
      status.textContent = message(form, name, { percent: percent });
      status.dataset.state = name;
    }

    function json(response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    }

    function begin(file) {
      var key = keyOf(file);
      var known = window.localStorage.getItem(key);
      var asked = known
        ? fetch(base + "/" + known, { headers: headers(), credentials: "same-origin" }).then(json)
        : Promise.resolve({ ok: false });
      return asked.then(function (found) {
        if (found.ok) {
          return found.body;
        }
        return fetch(base, {
          method: "POST",
          credentials: "same-origin",
          headers: headers({ "Content-Type": "application/json" }),
          body: JSON.stringify({ filename: file.name, size: file.size }),
        }).then(json).then(function (made) {
          if (!made.ok) {
            throw { refused: true };
          }
          window.localStorage.setItem(key, made.body.id);
          return made.body;
        });
      });
    }

    function sendFrom(file, upload, offset) {
      show(offset, file.size, "sending");
      if (offset >= file.size) {
        return Promise.resolve(upload);
      }
      var chunk = file.slice(offset, Math.min(offset + chunkSize, file.size));
      return fetch(upload.url, {
        method: "PATCH",
        credentials: "same-origin",
        headers: headers({ "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }),
        body: chunk,
      }).then(json, function () {
        throw { interrupted: true, offset: offset };
      }).then(function (sent) {
        if (sent.ok) {
          return sendFrom(file, upload, sent.body.offset);
        }
        var mismatch = sent.body && String(sent.body.type || "").indexOf("upload-offset-mismatch") >= 0;
        if (sent.status === 409 && mismatch && typeof sent.body.offset === "number") {
          return sendFrom(file, upload, sent.body.offset); // go on from where the server stands
        }
        throw { interrupted: sent.status >= 500, refused: sent.status < 500, offset: offset };
      });
    }

    function run() {
      var file = input.files && input.files[0];
      if (!file || busy) {
        return;
      }
      busy = true;
      startButton.disabled = true;
      resumeButton.hidden = true;
      begin(file).then(function (upload) {
        if (upload.offset > 0) {
          show(upload.offset, file.size, "resuming");
        }
        return sendFrom(file, upload, upload.offset);
      }).then(function (upload) {
        show(file.size, file.size, "ingesting");
        return fetch(upload.url + "/complete", {
          method: "POST", credentials: "same-origin", headers: headers(),
        }).then(json);
      }).then(function (done) {
        if (!done.ok) {
          throw { failed: true };
        }
        window.localStorage.removeItem(keyOf(file));
        window.location.assign(form.dataset.done);
      }).catch(function (problem) {
        busy = false;
        startButton.disabled = false;
        if (problem && problem.interrupted) {
          show(problem.offset, file.size, "interrupted");
          resumeButton.hidden = false;
        } else if (problem && problem.refused) {
          show(0, file.size, "refused");
        } else {
          window.localStorage.removeItem(keyOf(file));
          show(file.size, file.size, "failed");
        }
      });
    }

    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.localStorage || !input.files || !input.files.length) {
        return; // the plain form post
      }
      event.preventDefault();
      run();
    });
    resumeButton.addEventListener("click", run);
  }

  document.querySelectorAll("form[data-resumable]").forEach(setup);
})();
