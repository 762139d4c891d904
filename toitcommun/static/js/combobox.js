// Territory comboboxes (toitcommun/territory/forms.py renders them): a text box that suggests
// territories by name as one types, following the ARIA combobox pattern (list popup,
// aria-activedescendant, arrows, Enter, Escape). Without this script the box still works:
// the server reads a typed name or code. With data-multiple, chosen territories become chips,
// each carrying a hidden input of the field's name; what is left in the box is sent too.
(function () {
  "use strict";
  let counter = 0;

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const input = root.querySelector("input[type=text], input:not([type])");
    const list = root.querySelector(".combobox-list");
    const status = root.querySelector("[role=status]");
    const codeInput = root.querySelector("input[type=hidden][name$='_code']");
    const multiple = root.hasAttribute("data-multiple");
    const chips = root.querySelector(".combobox-chips");
    if (!input || !list) return;
    counter += 1;
    if (!list.id) list.id = "combobox-list-" + counter;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    let items = [];
    let active = -1;
    let timer = null;
    let controller = null;

    function announce(text) { if (status) status.textContent = text; }

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach((option, i) => option.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(found) {
      items = found;
      list.textContent = "";
      active = -1;
      if (!found.length) {
        const empty = document.createElement("li");
        empty.className = "combobox-empty";
        empty.textContent = root.dataset.none || "";
        list.appendChild(empty);
      }
      found.forEach((item, i) => {
        const option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        const name = document.createElement("span");
        name.className = "combobox-name";
        name.textContent = item.name;
        option.appendChild(name);
        const detail = document.createElement("span");
        detail.className = "combobox-detail";
        let text = item.level_label + (item.context ? " · " + item.context : "");
        if (item.matched_name) text += " · " + (root.dataset.former || "") + " " + item.matched_name;
        detail.textContent = text;
        option.appendChild(detail);
        // mousedown, not click: choose before the box loses focus and closes the list.
        option.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      const many = root.dataset.countMany || "%(n)s";
      announce(found.length === 1 ? (root.dataset.countOne || "1") : many.replace("%(n)s", String(found.length)));
    }

    function addChip(code, label, level) {
      if (!chips || chips.querySelector("input[value='" + CSS.escape(code) + "']")) return;
      const chip = document.createElement("li");
      chip.className = "chip";
      chip.dataset.code = code;
      chip.appendChild(document.createTextNode(label + " "));
      if (level) {
        const small = document.createElement("span");
        small.className = "muted";
        small.textContent = "(" + level + ")";
        chip.appendChild(small);
      }
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = root.dataset.name;
      hidden.value = code;
      chip.appendChild(hidden);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip-remove";
      remove.textContent = "×";
      remove.setAttribute("aria-label", (root.dataset.removeLabel || "") + " " + label);
      remove.addEventListener("click", () => {
        chip.remove();
        input.focus();
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      chip.appendChild(remove);
      chips.appendChild(chip);
    }

    function choose(index) {
      const item = items[index];
      if (!item) return;
      if (multiple) {
        addChip(item.code, item.name, item.level_label);
        input.value = "";
      } else {
        input.value = item.name;
        if (codeInput) codeInput.value = item.code;
      }
      close();
      announce(item.name);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function search() {
      const q = input.value.trim();
      if (!q) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      const url = new URL(root.dataset.source, window.location.href);
      url.searchParams.set("q", q);
      if (root.dataset.levels) url.searchParams.set("levels", root.dataset.levels);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((answer) => (answer.ok ? answer.json() : { items: [] }))
        .then((body) => { if (document.activeElement === input) render(body.items || []); })
        .catch(() => {});
    }

    // Server-rendered chips (the field's current territories) get their hidden input and remove button.
    if (multiple && chips) {
      const initial = Array.from(chips.querySelectorAll("li.chip"));
      initial.forEach((li) => {
        const level = li.querySelector(".muted");
        li.remove();
        addChip(li.dataset.code, li.dataset.label, level ? level.textContent.replace(/^\(|\)$/g, "") : "");
      });
      input.value = root.dataset.leftover || "";
    }

    input.addEventListener("input", () => {
      if (codeInput) codeInput.value = "";
      // The list shown was for the text before: Enter must not choose from it.
      items = [];
      active = -1;
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", (event) => {
      const open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { search(); return; }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
        else if (open && items.length === 1) { event.preventDefault(); choose(0); }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      } else if (event.key === "Backspace" && multiple && !input.value && chips && chips.lastElementChild) {
        chips.lastElementChild.remove();
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("blur", () => { setTimeout(close, 100); });
    // On a slow connection a person may type before this script runs: suggest for what is there.
    if (document.activeElement === input && input.value.trim() && !(codeInput && codeInput.value)) search();
  }

  function init(scope) {
    (scope || document).querySelectorAll("[data-combobox]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => init());
  else init();
  document.addEventListener("htmx:afterSettle", (event) => init(event.target));
})();
