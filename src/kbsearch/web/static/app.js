// kbsearch: JavaScript only makes the pages quicker. Every feature here has a plain-HTML
// equivalent: filters apply with their button, facet lists open with "show more".
(function () {
  "use strict";
  var form = document.getElementById("search-form");

  // Filters, sort and dates apply as soon as they change.
  if (form) {
    form.querySelectorAll("input[type=checkbox], select, input[type=date]").forEach(function (el) {
      el.addEventListener("change", function () { form.submit(); });
    });
    form.querySelectorAll(".apply").forEach(function (b) { b.classList.add("visually-hidden"); });
  }

  // A filter box over long facet lists (countries).
  document.querySelectorAll(".facet-filter").forEach(function (box) {
    box.hidden = false;
    var facet = box.closest(".facet");
    box.addEventListener("input", function () {
      var wanted = box.value.trim().toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      facet.querySelectorAll(".more").forEach(function (d) { if (wanted) { d.open = true; } });
      facet.querySelectorAll(".facet-values li").forEach(function (li) {
        var text = li.textContent.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        li.hidden = wanted !== "" && text.indexOf(wanted) === -1;
      });
    });
  });

  // Completion: concepts in any language, then titles (combobox pattern).
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list) { return; }
  var active = -1, items = [], timer = null;
  var ui = document.documentElement.lang;

  function close() {
    list.hidden = true; list.innerHTML = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function choose(s) {
    var params = new URLSearchParams(new FormData(form));
    if (s.kind === "title") {
      window.location = input.dataset.document.replace("__ID__", encodeURIComponent(s.value));
      return;
    }
    params.set("q", "");
    params.append(s.kind, s.value);
    window.location = input.dataset.search + "?" + params.toString();
  }
  function highlight(i) {
    items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); }
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var prefix = input.value.trim();
    if (prefix.length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(prefix) + "&ui=" + ui)
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          close();
          data.suggestions.forEach(function (s, i) {
            var li = document.createElement("li");
            li.id = "suggestion-" + i;
            li.setAttribute("role", "option");
            li.textContent = s.label;
            if (s.kind !== "title") {
              var kind = document.createElement("span");
              kind.className = "kind";
              kind.textContent = s.matched !== s.label ? s.matched : "";
              li.appendChild(kind);
            }
            li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(s); });
            li.suggestion = s;
            list.appendChild(li);
            items.push(li);
          });
          if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        })
        .catch(close);
    }, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + items.length) % items.length); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items[active].suggestion); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
