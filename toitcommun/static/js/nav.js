// The navigation's menu button on narrow screens. Loaded in <head> without defer so the
// "js" class is set before the first paint: without scripts the menu simply stays open.
// No inline scripts: the CSP forbids them.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".nav-toggle");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const open = (yes) => button.setAttribute("aria-expanded", yes ? "true" : "false");
  button.addEventListener("click", () => open(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      open(false);
      button.focus();
    }
  });
});
