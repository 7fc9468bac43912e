/* Search box (progressive enhancement): without this script the full list stays visible and usable. */
(function () {
  var root = document.currentScript && document.currentScript.closest(".ozgv");
  if (!root) { return; }
  var box = root.querySelector(".ozgv-suche"), input = root.querySelector(".ozgv-suche input"),
      count = root.querySelector(".ozgv-treffer"), items = root.querySelectorAll(".ozgv-eintrag"),
      groups = root.querySelectorAll(".ozgv-gruppe"), nav = root.querySelector(".ozgv-themen");
  if (!box || !input) { return; }
  function fold(text) {
    return text.toLowerCase().replace(/ß/g, "ss").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var keys = Array.prototype.map.call(items, function (item) { return fold(item.textContent); });
  function word(n) { return n === 1 ? "1 Leistung" : n.toLocaleString("de-DE") + " Leistungen"; }
  function filter() {
    var wanted = fold(input.value.trim()).split(/\s+/).filter(Boolean), shown = 0;
    items.forEach(function (item, i) {
      var hit = wanted.every(function (w) { return keys[i].indexOf(w) !== -1; });
      item.hidden = !hit;
      if (hit) { shown += 1; }
    });
    groups.forEach(function (group) { group.hidden = !group.querySelector(".ozgv-eintrag:not([hidden])"); });
    if (nav) { nav.hidden = wanted.length > 0; }
    count.textContent = wanted.length ? word(shown) + " von " + items.length.toLocaleString("de-DE") + " gefunden"
                                      : "";
  }
  input.addEventListener("input", filter);
  box.hidden = false;
}());
