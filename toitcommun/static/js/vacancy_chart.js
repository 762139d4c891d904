// Bar chart of vacant units and waiting list by clientele (data from json_script).
(function () {
  function init() {
    const canvas = document.getElementById("vacancy-chart");
    const source = document.getElementById("vacancy-chart-data");
    if (!canvas || !source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.vacantLabel, data: data.vacant, backgroundColor: "#1f6f8b" },
          { label: data.waitingLabel, data: data.waiting, backgroundColor: "#e0a458" },
        ],
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    canvas.dataset.state = "ready";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
