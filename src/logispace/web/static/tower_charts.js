/* Control-tower charts (控制塔图表): KPI trends, the transit-time distribution and the map of nodes and
   flows, from the JSON embedded in the page; no base map is fetched from outside. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var palette = ["#0b5cad", "#2e9d6a", "#e8a33d", "#c0504d", "#7d5ba6", "#3aa6b9"];
  var charts = [];
  var trends = data("tower-trend-data");
  if (trends) {
    trends.tiles.forEach(function (tile) {
      var el = document.getElementById("trend-" + tile.name);
      if (!el || tile.trend.length < 2) { return; }
      el.style.height = "3rem";
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        color: palette, grid: { left: 2, right: 2, top: 4, bottom: 4 },
        xAxis: { type: "category", show: false, data: tile.trend.map(function (p) { return p[0]; }) },
        yAxis: { type: "value", show: false, scale: true },
        tooltip: { trigger: "axis" },
        series: [{ type: "line", data: tile.trend.map(function (p) { return p[1]; }), showSymbol: false, connectNulls: true }]
      });
      charts.push(chart);
    });
  }
  var dist = data("tower-distribution-data");
  var distEl = document.getElementById("tower-distribution");
  if (dist && distEl && dist.bins.length) {
    var chart = echarts.init(distEl, null, { renderer: "svg" });
    chart.setOption({
      color: palette, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: dist.bins, name: distEl.getAttribute("data-label-hours"), nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", name: distEl.getAttribute("data-label-count") },
      series: Object.keys(dist.modes).map(function (mode) {
        return { name: distEl.getAttribute("data-mode-" + mode) || mode, type: "bar", stack: "legs", data: dist.modes[mode] };
      })
    });
    charts.push(chart);
  }
  var fc = data("tower-forecast-data");
  var fcEl = document.getElementById("tower-forecast");
  if (fc && fcEl && fc.times.length) {
    var chart3 = echarts.init(fcEl, null, { renderer: "svg" });
    chart3.setOption({
      color: palette, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: fc.times, name: fcEl.getAttribute("data-label-time"), nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", name: fcEl.getAttribute("data-label-count") },
      series: [
        { name: fcEl.getAttribute("data-label-history"), type: "line", data: fc.history, showSymbol: false },
        { name: fcEl.getAttribute("data-label-forecast"), type: "line", data: fc.forecast, showSymbol: false, lineStyle: { type: "dashed" } }
      ]
    });
    charts.push(chart3);
  }
  var net = data("tower-network-data");
  var netEl = document.getElementById("tower-network");
  if (net && netEl && net.nodes.length) {
    var most = Math.max.apply(null, net.flows.map(function (f) { return f.shipments; }).concat([1]));
    var flowLabel = netEl.getAttribute("data-label-shipments");
    var chart2 = echarts.init(netEl, null, { renderer: "svg" });
    chart2.setOption({
      color: palette,
      tooltip: { trigger: "item", formatter: function (p) { return p.data && p.data.tip ? p.data.tip : p.name; } },
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      xAxis: { type: "value", scale: true, name: netEl.getAttribute("data-label-lon") },
      yAxis: { type: "value", scale: true, name: netEl.getAttribute("data-label-lat") },
      series: net.flows.map(function (f) {
        var tip = net.names[f.from] + " → " + net.names[f.to] + "<br>" + flowLabel + " " + f.shipments;
        return { type: "line", data: f.coords.map(function (c) { return { value: c, tip: tip }; }),
                 lineStyle: { width: 1 + 6 * f.shipments / most, opacity: 0.7 }, showSymbol: false };
      }).concat([{
        type: "scatter", symbolSize: 12, itemStyle: { color: "#c0504d" },
        label: { show: true, position: "right", formatter: function (p) { return p.data.name; } },
        data: net.nodes.map(function (n) { return { name: net.names[n.code], value: n.value, tip: net.names[n.code] }; })
      }])
    });
    charts.push(chart2);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
