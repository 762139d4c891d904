// The site map. When Leaflet or the tiles cannot load, the map hides itself and
// the table (always on the page) stays the way to read the sites. A map that
// arrives in an htmx fragment (live search results) is drawn when it settles.
(function () {
  function degrade(container, note) {
    container.classList.add("map-unavailable");
    container.dataset.state = "unavailable";
    if (note) note.hidden = false;
  }
  function init() {
    const container = document.getElementById("site-map");
    const note = document.getElementById("site-map-note");
    const source = document.getElementById("site-map-points");
    if (!container || container.dataset.drawn) return;
    if (source) { container.dataset.drawn = "1"; draw(container, note, JSON.parse(source.textContent)); return; }
    // Thousands of points come as JSON from their own address, after the page.
    if (!container.dataset.pointsUrl) return;
    container.dataset.drawn = "1";
    fetch(container.dataset.pointsUrl, { headers: { Accept: "application/json" } })
      .then((answer) => { if (!answer.ok) throw new Error(String(answer.status)); return answer.json(); })
      .then((points) => draw(container, note, points))
      .catch(() => degrade(container, note));
  }
  function draw(container, note, points) {
    if (typeof L === "undefined") { degrade(container, note); return; }
    const map = L.map(container, { scrollWheelZoom: false });
    let loaded = 0, failed = 0;
    const tiles = L.tileLayer(container.dataset.tileUrl, { attribution: container.dataset.tileAttribution, maxZoom: 18 });
    tiles.on("tileload", () => { loaded += 1; container.dataset.state = "ready"; });
    tiles.on("tileerror", () => {
      failed += 1;
      if (loaded === 0 && failed >= 1) degrade(container, note);
    });
    tiles.addTo(map);
    const markers = points.map((p) => {
      const marker = L.circleMarker([p.lat, p.lng], p.approximate
        ? { radius: 9, weight: 2, dashArray: "4 3", fillOpacity: 0.1 }
        : { radius: 7, weight: 2 });
      const link = document.createElement("a");
      link.href = p.url; link.textContent = p.name;
      const box = document.createElement("div");
      box.appendChild(link);
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.municipality + " · " + p.tenure));
      for (const line of p.lines || []) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(line));
      }
      if (p.approximate) {
        // A place known only by its municipality stands at the municipality's centre.
        const note = document.createElement("em");
        note.className = "map-approximate";
        note.textContent = p.approximate;
        box.appendChild(document.createElement("br"));
        box.appendChild(note);
      }
      marker.bindPopup(box);
      return marker;
    });
    const group = L.featureGroup(markers).addTo(map);
    if (points.length === 1) map.setView([points[0].lat, points[0].lng], points[0].approximate ? 12 : 15);
    else map.fitBounds(group.getBounds().pad(0.15));
    // No answer from the tile server at all (offline network): degrade after a wait.
    setTimeout(() => { if (loaded === 0) degrade(container, note); }, 6000);
    container.dataset.markers = String(points.length);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("htmx:afterSettle", init);
  // Back and forward through live searches: htmx puts back a copy of the page, map
  // markup included but not the map itself; draw it again on a clean container.
  document.addEventListener("htmx:historyRestore", () => {
    const old = document.getElementById("site-map");
    if (!old || !old.dataset.drawn) return;
    const fresh = document.createElement("div");
    for (const name of ["id", "role", "aria-label", "data-tile-url", "data-tile-attribution"]) {
      if (old.hasAttribute(name)) fresh.setAttribute(name, old.getAttribute(name));
    }
    old.replaceWith(fresh);
    const note = document.getElementById("site-map-note");
    if (note) note.hidden = true;
    init();
  });
})();
