/* Portal home charts (门户首页): ECharts over the figures embedded in the page as JSON. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b5cad", "#2e9d6a", "#e8a33d", "#c0504d", "#7d5ba6", "#3aa6b9", "#8a8a8a"];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    el.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("chart-rows", {
    color: palette,
    grid: { left: 150, right: 40, top: 10, bottom: 20 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.rows.map(function (r) { return r.name; }), axisLabel: { width: 140, overflow: "truncate" } },
    series: [{ type: "bar", data: data.rows.map(function (r) { return r.value; }), barMaxWidth: 28, label: { show: true, position: "right" } }]
  });
  draw("chart-categories", {
    color: palette,
    tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
    legend: { bottom: 0, type: "scroll" },
    series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "42%"], data: data.categories }]
  });
}());
