/* The trace map (线路与轨迹图): each leg's GPS track and the current position, on longitude and
   latitude axes, from the JSON embedded in the page; no base map is fetched from outside. */
(function () {
  "use strict";
  var source = document.getElementById("trace-map-data");
  var el = document.getElementById("trace-map");
  if (!source || !el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b5cad", "#2e9d6a", "#e8a33d", "#c0504d", "#7d5ba6", "#3aa6b9"];
  var series = data.legs.map(function (leg) {
    var mode = el.getAttribute("data-mode-" + leg.mode) || "";
    var name = el.getAttribute("data-label-leg").replace("{n}", leg.sequence) + " " + mode;
    if (leg.from && leg.to) { name += " " + leg.from + "→" + leg.to; }
    return { name: name, type: "line", data: leg.points, showSymbol: leg.points.length < 60, symbolSize: 4 };
  });
  if (data.position) {
    series.push({
      name: el.getAttribute("data-label-now"), type: "effectScatter", data: [data.position],
      symbolSize: 12, itemStyle: { color: "#c0504d" }, zlevel: 1
    });
  }
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    color: palette,
    tooltip: { trigger: "item", formatter: function (p) { return p.seriesName + "<br>" + p.value[1].toFixed(4) + ", " + p.value[0].toFixed(4); } },
    legend: { bottom: 0, type: "scroll" },
    grid: { left: 60, right: 20, top: 20, bottom: 50 },
    xAxis: { type: "value", scale: true, name: el.getAttribute("data-label-lon") },
    yAxis: { type: "value", scale: true, name: el.getAttribute("data-label-lat") },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
