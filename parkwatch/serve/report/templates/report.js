/* parkwatch report: draws the charts described in #report-data with ECharts (inlined above). */
(function () {
  "use strict";
  var status = { charts: 0, drawn: 0, errors: [] };
  window.parkwatchReport = status;
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var font = window.getComputedStyle(document.body).fontFamily;
  var instances = [];

  function draw(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el) { return; }
    status.charts += 1;
    try {
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      if (onClick) { chart.on("click", onClick); }
      instances.push(chart);
      el.setAttribute("data-drawn", "1");
      status.drawn += 1;
    } catch (err) {
      status.errors.push(id + ": " + err);
      el.textContent = "图表无法绘制 chart failed: " + err;
      throw err;
    }
  }

  function openSource(p) {
    if (p.data && p.data.url) { window.open(p.data.url, "_blank", "noopener"); }
  }

  data.charts.forEach(function (ch) {
    draw(ch.id, {
      animation: false,
      textStyle: { fontFamily: font },
      color: ["#0b5cad", "#e8684a", "#5ab45a", "#9a60b4", "#f2b200"],
      legend: { show: ch.series.length > 1, top: 0, right: 0, textStyle: { fontFamily: font } },
      grid: { left: 8, right: 24, top: 34, bottom: 8 },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          return esc(p.seriesName) + "<br>" + esc(p.data.period) + ": <b>" +
            esc(p.data.raw || (p.data.value[1] + " " + ch.unit)) + "</b>";
        }
      },
      xAxis: { type: "category", data: ch.x, boundaryGap: false, axisLabel: { fontFamily: font, hideOverlap: true } },
      yAxis: { type: "value", name: ch.unit, scale: true, nameTextStyle: { fontFamily: font },
               axisLabel: { fontFamily: font } },
      series: ch.series.map(function (s) {
        return {
          name: s.name, type: "line", symbolSize: 7, connectNulls: false,
          label: { show: s.points.length <= 6, fontSize: 10, fontFamily: font,
                   formatter: function (p) { return p.data.value[1]; } },
          data: s.points.map(function (pt) {
            return { value: [pt.x, pt.y], period: pt.period, raw: pt.raw, url: pt.url };
          })
        };
      })
    }, openSource);
  });

  if (data.crawl) {
    var c = data.crawl;
    draw(c.id, {
      animation: false,
      textStyle: { fontFamily: font },
      color: ["#0b5cad", "#5ab45a", "#cf222e", "#f2b200"],
      legend: { top: 0, textStyle: { fontFamily: font } },
      grid: { left: 8, right: 8, top: 40, bottom: 24 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: c.sites, axisLabel: { fontFamily: font, interval: 0, rotate: c.sites.length > 6 ? 30 : 0 } },
      yAxis: [{ type: "value", name: "页面 pages" }, { type: "value", name: "提取率 yield %", max: 100, splitLine: { show: false } }],
      series: c.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; }).concat([
        { name: "提取率 yield %", type: "line", yAxisIndex: 1, data: c.yield, symbolSize: 7 }
      ])
    });
  }

  window.addEventListener("resize", function () { instances.forEach(function (i) { i.resize(); }); });
  document.documentElement.setAttribute("data-report-ready", status.errors.length ? "error" : "1");
})();
