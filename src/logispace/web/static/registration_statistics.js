/* Registration statistics charts (登记统计季报): ECharts over the report embedded in the page. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b5cad", "#2e9d6a", "#e8a33d", "#c0504d", "#7d5ba6", "#3aa6b9", "#8a8a8a"];

  function bar(id, rows, horizontal) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    var names = rows.map(function (r) { return r.name; });
    var values = rows.map(function (r) { return r.value; });
    var category = { type: "category", data: names, axisLabel: { interval: 0 } };
    var value = { type: "value", minInterval: 1 };
    chart.setOption({
      color: palette,
      grid: { left: horizontal ? 110 : 40, right: 20, top: 20, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: "bar", data: values, barMaxWidth: 36, label: { show: true, position: horizontal ? "right" : "top" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function pie(id, rows) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: rows, label: { formatter: "{b}\n{c}" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  bar("chart-type", data.type, false);
  pie("chart-state", data.state);
  bar("chart-industry", data.industry, true);
}());
