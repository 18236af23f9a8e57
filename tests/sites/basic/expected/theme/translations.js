/* commonsgen translation status: sort the table by how far behind (as built) or by title.
   The buttons are in the page, hidden; this script shows them, so a reader without
   scripts meets no button that does nothing (the table is built furthest behind first). */
(function () {
  "use strict";

  var controls = document.querySelector(".translation-sort");
  var body = document.querySelector("table.translation-status tbody");
  if (!controls || !body) return;
  var rows = Array.prototype.slice.call(body.rows);
  var buttons = controls.querySelectorAll("button[data-sort]");

  function sortBy(key) {
    var sorted = rows.slice();
    if (key === "title") {
      sorted.sort(function (a, b) {
        return a.getAttribute("data-title").localeCompare(b.getAttribute("data-title"));
      });
    }
    /* "behind" is the order the page was built in. */
    sorted.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-sort") === key ? "true" : "false");
    });
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () { sortBy(button.getAttribute("data-sort")); });
  });
  controls.hidden = false;
})();
