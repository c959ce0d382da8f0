// Upgrades the plain query form to YASGUI (loaded only when scripts/install-assets.sh installed it),
// with one tab per example query of queries/*.rq.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof window.Yasgui === "undefined") {
    var form = document.getElementById("plain-form");
    if (form) { form.hidden = false; }
    return;
  }
  var examples = [];
  try {
    examples = JSON.parse(document.getElementById("examples-data").textContent || "[]");
  } catch (e) {
    examples = [];
  }
  var endpoint = root.getAttribute("data-endpoint");
  var yasgui = new window.Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    autoAddOnInit: examples.length === 0, // with examples, their tabs are the start
    persistenceId: null, // always start from the examples, not from yesterday's tabs
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { resizeable: true }
  });
  examples.forEach(function (ex, i) {
    var defaults = window.Yasgui.Tab.getDefaults(yasgui);
    defaults.name = ex.summary;
    defaults.yasqe = { value: ex.query };
    defaults.requestConfig = Object.assign({}, defaults.requestConfig, { endpoint: endpoint });
    yasgui.addTab(i === 0, defaults);
  });
  document.querySelectorAll("#examples li[data-example]").forEach(function (li) {
    li.addEventListener("click", function (event) {
      if (event.target.tagName === "A" || event.target.tagName === "SUMMARY") { return; }
      var ex = examples[Number(li.getAttribute("data-example"))];
      if (!ex) { return; }
      var tab = yasgui.getTab();
      if (tab && tab.setQuery) { tab.setQuery(ex.query); }
    });
  });
})();
