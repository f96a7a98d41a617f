// Indicator charts (ECharts, vendored): every element [data-indicator-chart] is drawn from the JSON of the
// json_script element whose id is in its data-source attribute:
//   {"years": [2015, …], "unit": "%",
//    "series": [{"name": "县域内就诊率", "role": "main" | "bound", "data": [88.5, null, …],
//                "target": {"value": 90, "label": "目标 90 %"} | null}]}
// One line per series on a real time axis (x = years as numbers on a value axis: 2016 and 2026 are ten
// years apart, not neighbours), y = per cent; the target as a dashed line with its label. No inline
// script or style (CSP): the tooltip is drawn on the canvas (richText), not as HTML. The table beneath each
// chart is the accessible fallback; the labels come translated from the page.
(function () {
  "use strict";

  var TARGET_COLOUR = "#c2410c";
  var BOUND_COLOUR = "#94a3b8";
  var charts = [];

  function lowestShown(data) {
    var lowest = 100;
    data.series.forEach(function (series) {
      series.data.forEach(function (value) {
        if (value !== null && value < lowest) lowest = value;
      });
      if (series.target && series.target.value < lowest) lowest = series.target.value;
    });
    // Fitted: ten below the lowest value, on a multiple of ten, never under 0.
    return Math.max(0, Math.floor((lowest - 5) / 10) * 10);
  }

  // [year, value] points, a missing value left out (the line joins the years on each side of it).
  function pairs(years, values) {
    var points = [];
    values.forEach(function (value, index) {
      if (value !== null && value !== undefined) points.push([years[index], value]);
    });
    return points;
  }

  function seriesOption(series, years) {
    var main = series.role !== "bound";
    var option = {
      name: series.name,
      type: "line",
      data: pairs(years, series.data),
      connectNulls: true,
      symbolSize: main ? 7 : 4,
      lineStyle: { width: main ? 3 : 1.5, type: main ? "solid" : "dashed" },
      emphasis: { focus: "series" }
    };
    if (!main) {
      option.itemStyle = { color: BOUND_COLOUR };
      option.lineStyle.color = BOUND_COLOUR;
    }
    if (series.target) {
      option.markLine = {
        symbol: "none",
        silent: true,
        lineStyle: { type: "dashed", color: TARGET_COLOUR, width: 2 },
        label: { formatter: series.target.label, position: "insideEndTop", color: TARGET_COLOUR },
        data: [{ yAxis: series.target.value, name: series.target.label }]
      };
    }
    return option;
  }

  function chartOption(data) {
    var unit = data.unit || "%";
    var years = data.years.map(Number);
    // One year is drawn with a year of margin on each side, so its point is not on the axis' edge.
    var first = years.length ? Math.min.apply(null, years) : 0;
    var last = years.length ? Math.max.apply(null, years) : 0;
    if (first === last) {
      first -= 1;
      last += 1;
    }
    return {
      animationDuration: 300,
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        valueFormatter: function (value) {
          return value === null || value === undefined || value === "-" ? "—" : value + " " + unit;
        }
      },
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 24, top: 44, bottom: 32 },
      xAxis: {
        type: "value",
        min: first,
        max: last,
        minInterval: 1,
        splitNumber: Math.min(last - first, 10) || 1,
        axisLabel: { formatter: function (value) { return Math.round(value) === value ? String(value) : ""; } },
        axisPointer: { snap: true, label: { formatter: function (params) { return String(params.value); } } }
      },
      yAxis: {
        type: "value",
        min: lowestShown(data),
        max: 100,
        axisLabel: { formatter: "{value} " + unit }
      },
      series: data.series.map(function (series) { return seriesOption(series, years); })
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-source") || "");
    if (!source || !window.echarts || element.getAttribute("data-drawn")) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(chartOption(data));
    element.setAttribute("data-drawn", "true");
    charts.push(chart);
  }

  function drawAll() {
    document.querySelectorAll("[data-indicator-chart]").forEach(draw);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 150);
  });

  // A printout carries the numbers: the "Data table" disclosures open before printing.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data").forEach(function (details) { details.open = true; });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
