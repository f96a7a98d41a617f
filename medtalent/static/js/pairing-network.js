/* The city pairing network (partnerships:network): an ECharts force graph of supporting and supported
   hospitals. Data from the json_script element #pairing-network-data; the container #pairing-network-chart
   gets data-rendered="1" once ECharts has drawn it. No inline script or style (CSP).
   Labels never overlap: the supporting hospitals (the large nodes) are named, a label that would cover
   another is hidden (labelLayout hideOverlap), and a supported hospital is named when it or one of its
   links is hovered or tapped (emphasis); the table under the graph names every one. */
(function () {
  "use strict";

  var CATEGORIES = ["supporting", "supported"];
  var COLOURS = ["#b5472b", "#2a6f97"];

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function init() {
    var container = document.getElementById("pairing-network-chart");
    var source = document.getElementById("pairing-network-data");
    if (!container || !source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var labels = data.labels || {};
    var byId = {};
    var nodes = data.nodes.map(function (node) {
      byId[node.id] = node;
      var supporting = node.category === "supporting";
      return {
        id: node.id,
        name: node.name,
        category: CATEGORIES.indexOf(node.category),
        symbolSize: node.symbol_size,
        value: node.supported_count,
        county: node.county,
        label: { show: supporting, fontWeight: supporting ? "bold" : "normal" },
      };
    });
    var links = data.links.map(function (link) {
      return { source: link.source, target: link.target };
    });

    var narrow = container.clientWidth < 600;
    var chart = window.echarts.init(container, null, { renderer: "canvas" });
    chart.on("rendered", function onRendered() {
      container.setAttribute("data-rendered", "1");
      chart.off("rendered", onRendered);
    });
    chart.setOption({
      color: COLOURS,
      legend: [{ data: CATEGORIES.map(function (c) { return labels[c] || c; }), top: 0 }],
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (params) {
          if (params.dataType === "edge") {
            var from = byId[params.data.source];
            var to = byId[params.data.target];
            return escapeHtml(from ? from.name : params.data.source) + " → " + escapeHtml(to ? to.name : params.data.target);
          }
          var node = byId[params.data.id] || {};
          var lines = [escapeHtml(params.data.name)];
          if (node.county) {
            lines.push(escapeHtml((labels.county || "County") + ": " + node.county));
          }
          if (node.category === "supporting") {
            lines.push(escapeHtml((labels.supports || "Supported") + ": " + node.supported_count));
          }
          return lines.join("<br>");
        },
      },
      animationDuration: 600,
      series: [
        {
          type: "graph",
          layout: "force",
          roam: true,
          draggable: true,
          top: 56,
          bottom: 16,
          left: 16,
          right: 16,
          zoom: narrow ? 0.6 : 1,
          categories: CATEGORIES.map(function (c) { return { name: labels[c] || c }; }),
          data: nodes,
          links: links,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 7,
          label: {
            position: "right",
            fontSize: 12,
            backgroundColor: "rgba(255,255,255,0.85)",
            padding: [1, 3],
            borderRadius: 3,
          },
          labelLayout: { hideOverlap: true },
          lineStyle: { color: "source", opacity: 0.7, curveness: 0.1 },
          emphasis: { focus: "adjacency", label: { show: true }, lineStyle: { width: 3 } },
          force: {
            repulsion: narrow ? 160 : 320,
            edgeLength: narrow ? [40, 90] : [70, 160],
            gravity: 0.12,
            layoutAnimation: false,
          },
        },
      ],
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
