// The day-by-day hours grid writes the hours text; the text stays what the form sends.
(function () {
  "use strict";
  var FRENCH = { MO: "LU", TU: "MA", WE: "ME", TH: "JE", FR: "VE", SA: "SA", SU: "DI" };

  function value(row, slot, edge) {
    var input = row.querySelector('[data-hours-slot="' + slot + '"][data-hours-edge="' + edge + '"]');
    return input ? input.value : "";
  }

  function compose(widget) {
    var english = (document.documentElement.lang || "fr").indexOf("en") === 0;
    var days = Array.prototype.map.call(widget.querySelectorAll("[data-hours-day]"), function (row) {
      var spans = [0, 1].map(function (slot) {
        var opens = value(row, slot, "opens");
        var closes = value(row, slot, "closes");
        if (!opens || !closes) { return ""; }
        return opens + "-" + (closes === "23:59" ? "24:00" : closes);
      }).filter(Boolean).join(",");
      var code = row.getAttribute("data-hours-day");
      return { code: english ? code : FRENCH[code], spans: spans };
    });
    var parts = [];
    for (var i = 0; i < days.length;) {
      var j = i;
      while (j + 1 < days.length && days[j + 1].spans === days[i].spans) { j += 1; }
      if (days[i].spans) {
        parts.push((i === j ? days[i].code : days[i].code + "-" + days[j].code) + " " + days[i].spans);
      }
      i = j + 1;
    }
    return parts.join("; ");
  }

  document.addEventListener("change", function (event) {
    var input = event.target.closest && event.target.closest("[data-hours-slot]");
    if (!input) { return; }
    var widget = input.closest("[data-hours-widget]");
    var text = widget && widget.querySelector("[data-hours-text]");
    if (!text) { return; }
    text.value = compose(widget);
    text.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
