/* The route map (路径图): each vehicle's route from its start through its pickups and drops and back,
   on longitude and latitude axes, from the JSON embedded in the page; no base map is fetched. */
(function () {
  "use strict";
  var source = document.getElementById("route-map-data");
  var el = document.getElementById("route-map");
  if (!source || !el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var series = data.routes.map(function (route) {
    return {
      name: route.plate, type: "line", symbolSize: 8,
      data: route.stops.map(function (s) {
        return { value: [s.lon, s.lat], kind: el.getAttribute("data-stop-" + s.kind) || "", ref: s.reference || "" };
      })
    };
  });
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "item", formatter: function (p) {
      return p.seriesName + " " + p.data.kind + " " + p.data.ref + "<br>" + p.value[1].toFixed(3) + "，" + p.value[0].toFixed(3);
    } },
    legend: { bottom: 0, type: "scroll" },
    grid: { left: 60, right: 20, top: 20, bottom: 50 },
    xAxis: { type: "value", scale: true, name: el.getAttribute("data-label-lon") },
    yAxis: { type: "value", scale: true, name: el.getAttribute("data-label-lat") },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
