/* commonsgen "On this page": marks the section being read. Without this script the table
   of contents is a plain list of links, which is all it needs to be. */
(function () {
  "use strict";

  var links = document.querySelectorAll(".toc a[href^='#']");
  var pairs = [];
  Array.prototype.forEach.call(links, function (link) {
    var id;
    try { id = decodeURIComponent(link.hash.slice(1)); } catch (error) { return; } // a stray %
    var heading = document.getElementById(id);
    if (heading) pairs.push([heading, link]);
  });
  if (!pairs.length) return;

  var marked = null;
  var pending = false;

  function update() {
    pending = false;
    // The section in view: the last heading above the top fifth of the window.
    var line = window.innerHeight / 5;
    var found = pairs[0][1];
    for (var i = 0; i < pairs.length; i++) {
      if (pairs[i][0].getBoundingClientRect().top > line) break;
      found = pairs[i][1];
    }
    if (found === marked) return;
    if (marked) marked.removeAttribute("aria-current");
    found.setAttribute("aria-current", "true");
    marked = found;
  }

  window.addEventListener("scroll", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(update);
    }
  }, { passive: true });
  window.addEventListener("resize", update);
  update();
})();
