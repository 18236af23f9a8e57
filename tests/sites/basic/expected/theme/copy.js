/* commonsgen copy buttons: copy a page's credit line, one of its citations, or a code block.
   The buttons are in the page, hidden; this script shows them, so a reader without
   scripts never meets a button that does nothing (the text is there to select). */
(function () {
  "use strict";

  var status = document.querySelector(".copy-status");
  var buttons = document.querySelectorAll("button.copy-button[data-copy]");
  var blocks = document.querySelectorAll(".content pre > code");
  if (!status || !(buttons.length || blocks.length)) return;

  /* The Clipboard API needs a secure context (https, localhost, file://); anything else
     gets the older selection-and-execCommand way. */
  function write(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacy(text); });
    }
    return legacy(text);
  }

  function legacy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function announce(button, ok) {
    var message = ok ? status.dataset.copied : status.dataset.failed;
    // Emptied first, so that a second copy of the same text is announced again.
    status.textContent = "";
    status.classList.toggle("visually-hidden", ok);
    setTimeout(function () { status.textContent = message; }, 50);
    if (ok) {
      var label = button.dataset.label || button.textContent;
      button.dataset.label = label;
      button.textContent = message;
      clearTimeout(button.restore);
      button.restore = setTimeout(function () { button.textContent = label; }, 2000);
    }
  }

  /* The text of a code block as written: without its line numbers (.ln). */
  function codeText(code) {
    var copy = code.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".ln"), function (n) { n.remove(); });
    return copy.textContent.replace(/\n$/, "");
  }

  /* A copy button on each code block of the page's text, made here: it does nothing
     without this script, so a reader without scripts never sees one. */
  Array.prototype.forEach.call(blocks, function (code) {
    var pre = code.parentNode;
    var box = document.createElement("div");
    box.className = "code-block";
    pre.parentNode.insertBefore(box, pre);
    box.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = status.dataset.copyCode;
    button.setAttribute("aria-label", status.dataset.copyCodeLabel);
    box.appendChild(button);
    button.addEventListener("click", function () {
      write(codeText(code)).then(
        function () { announce(button, true); },
        function () { announce(button, false); }
      );
    });
  });

  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      write(source.textContent.trim()).then(
        function () { announce(button, true); },
        function () { announce(button, false); }
      );
    });
  });
})();
