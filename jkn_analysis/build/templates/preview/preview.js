// Live preview: listen to the server's events and reload the report frame when a new version
// is ready, keeping the reader's scroll position; refresh the problem banner on every change.
"use strict";
(function () {
  const frame = document.getElementById("report");
  const banner = document.getElementById("banner");
  const state = document.getElementById("state");
  let shown = Number(document.body.dataset.reportVersion);

  function reloadFrame(version) {
    let x = 0;
    let y = 0;
    try {
      x = frame.contentWindow.scrollX;
      y = frame.contentWindow.scrollY;
    } catch (error) {
      // The frame is between documents; start at the top.
    }
    frame.addEventListener(
      "load",
      () => frame.contentWindow.scrollTo(x, y),
      { once: true }
    );
    frame.src = "/report.html?v=" + version;
    shown = version;
  }

  async function refreshBanner() {
    const response = await fetch("/banner", { cache: "no-store" });
    if (response.ok) {
      banner.innerHTML = await response.text();
    }
  }

  const events = new EventSource("/events");
  events.addEventListener("update", (event) => {
    const status = JSON.parse(event.data);
    state.textContent = status.state_text;
    refreshBanner();
    if (status.report_version !== shown) {
      reloadFrame(status.report_version);
    }
  });
})();
