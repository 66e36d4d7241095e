// Rule builder: draws a risk rule's condition tree from the field catalogue and keeps the
// form's `condition` field (JSON) in step with it. Without JavaScript the field stays a
// textarea where the JSON can be written by hand; the server validates both the same way.
//
// The tree the server stores:  {"all": [...]}, {"any": [...]}, {"not": node},
//                              {"field": name, "op": op, "value": ...}
// A "none of these" group is {"not": {"any": [...]}} (or {"not": node} for one child).
(() => {
  const root = document.getElementById("rule-builder");
  const source = document.getElementById("id_condition");
  const catalogueScript = document.getElementById("rule-catalogue");
  if (!root || !source || !catalogueScript) return;

  const catalogue = JSON.parse(catalogueScript.textContent);
  const fields = new Map(catalogue.fields.map((field) => [field.name, field]));
  const words = root.dataset;
  const CODE_TYPES = new Set(["airport", "country", "airport_set", "country_set"]);
  const CHOICE_TYPES = new Set(["choice", "choice_set"]);
  let uid = 0;

  // --- the model: groups and leaves, values kept as typed until serialised ------------------

  function group(mode, children) {
    return { kind: "group", id: ++uid, mode, children };
  }

  function leaf(field = "", op = "", value = null, valueLabel = undefined) {
    return { kind: "leaf", id: ++uid, field, op, value, valueLabel };
  }

  function shapeOf(node) {
    const field = fields.get(node.field);
    const op = field && field.ops.find((o) => o.op === node.op);
    return op ? op.value : "none";
  }

  function typedToRaw(field, shape, value) {
    if (shape === "list") {
      if (!Array.isArray(value)) return CHOICE_TYPES.has(field.type) ? [] : "";
      return CHOICE_TYPES.has(field.type) ? value.map(String) : value.join(", ");
    }
    if (shape === "range") return Array.isArray(value) ? value.map((v) => String(v ?? "")) : ["", ""];
    if (shape === "one") return value === null || value === undefined ? "" : String(value);
    return null;
  }

  // A stored tree into the model; null when the builder cannot show it (the JSON field stays).
  function parse(node) {
    if (!node || typeof node !== "object" || Array.isArray(node)) return null;
    if (Array.isArray(node.all) || Array.isArray(node.any)) {
      const mode = Array.isArray(node.all) ? "all" : "any";
      const children = node[mode].map(parse);
      return children.includes(null) ? null : group(mode, children);
    }
    if ("not" in node) {
      const inner = node.not;
      const list = inner && Array.isArray(inner.any) ? inner.any : [inner];
      const children = list.map(parse);
      return children.includes(null) ? null : group("not", children);
    }
    if ("field" in node) {
      const made = leaf(String(node.field || ""), String(node.op || ""), null, node.value_label);
      const field = fields.get(made.field);
      made.value = field ? typedToRaw(field, shapeOf(made), node.value) : null;
      return made;
    }
    return null;
  }

  function number(text) {
    const trimmed = String(text).trim();
    if (trimmed === "") return null;
    const value = Number(trimmed);
    return Number.isFinite(value) ? value : trimmed; // the server names what is not a number
  }

  function scalar(field, text) {
    if (field.type === "number") return number(text);
    const trimmed = String(text).trim();
    return CODE_TYPES.has(field.type) ? trimmed.toUpperCase() : trimmed;
  }

  function joinPath(path, part) {
    return path ? `${path}.${part}` : part;
  }

  // The model into the stored tree, remembering each node's path for the server's errors.
  function serialise(node, path) {
    node.path = path;
    if (node.kind === "group") {
      if (node.mode !== "not") {
        return {
          [node.mode]: node.children.map((child, i) =>
            serialise(child, joinPath(path, `${node.mode}[${i}]`)),
          ),
        };
      }
      const at = joinPath(path, "not");
      if (node.children.length === 1) return { not: serialise(node.children[0], at) };
      return {
        not: { any: node.children.map((child, i) => serialise(child, joinPath(at, `any[${i}]`))) },
      };
    }
    const out = { field: node.field, op: node.op };
    const field = fields.get(node.field);
    const shape = shapeOf(node);
    if (!field || shape === "none") return out;
    if (shape === "one") out.value = scalar(field, node.value ?? "");
    else if (shape === "range") out.value = (node.value || ["", ""]).map(number);
    else if (CHOICE_TYPES.has(field.type)) out.value = [...(node.value || [])];
    else
      out.value = String(node.value || "")
        .split(/[,;\s]+/)
        .filter((part) => part !== "")
        .map((part) => scalar(field, part));
    if (node.valueLabel) out.value_label = node.valueLabel;
    return out;
  }

  // --- drawing ------------------------------------------------------------------------------

  function element(tag, attributes = {}, children = []) {
    const made = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") made.textContent = value;
      else if (value !== undefined && value !== null && value !== false) made.setAttribute(name, value);
    }
    made.append(...children);
    return made;
  }

  function button(text, onClick, className = "secondary") {
    const made = element("button", { type: "button", class: className, text });
    made.addEventListener("click", onClick);
    return made;
  }

  function fieldSelect(node) {
    const select = element("select", { id: `rb-${node.id}-field`, "aria-label": words.labelField });
    select.append(element("option", { value: "", text: words.labelChoose }));
    for (const topic of catalogue.topics) {
      const optgroup = element("optgroup", { label: topic.label });
      for (const field of catalogue.fields.filter((f) => f.topic === topic.name)) {
        optgroup.append(
          element("option", { value: field.name, text: field.label, selected: field.name === node.field }),
        );
      }
      select.append(optgroup);
    }
    select.addEventListener("change", () => {
      const field = fields.get(select.value);
      node.field = select.value;
      if (!field) node.op = "";
      else if (!field.ops.some((o) => o.op === node.op)) node.op = field.ops[0].op;
      node.value = field ? typedToRaw(field, shapeOf(node), null) : null;
      redraw(`rb-${node.id}-field`);
    });
    return select;
  }

  function opSelect(node, field) {
    const select = element("select", { id: `rb-${node.id}-op`, "aria-label": words.labelOp });
    for (const op of field.ops) {
      select.append(element("option", { value: op.op, text: op.label, selected: op.op === node.op }));
    }
    select.addEventListener("change", () => {
      const before = shapeOf(node);
      node.op = select.value;
      if (shapeOf(node) !== before) node.value = typedToRaw(field, shapeOf(node), null);
      redraw(`rb-${node.id}-op`);
    });
    return select;
  }

  function textInput(node, field, id, label, value, onInput) {
    const attributes = { id, "aria-label": label, value, class: "rb-value-input" };
    if (field.type === "number") Object.assign(attributes, { type: "number", step: "any" });
    else attributes.type = "text";
    if (CODE_TYPES.has(field.type)) attributes.class += " rb-code";
    const input = element("input", attributes);
    input.addEventListener("input", () => {
      onInput(input.value);
      sync();
    });
    return input;
  }

  function valueInputs(node, field) {
    const shape = shapeOf(node);
    const holder = element("span", { class: "rb-value" });
    if (shape === "none") return holder;
    const isChoice = CHOICE_TYPES.has(field.type);
    if (shape === "one" && isChoice) {
      const select = element("select", { id: `rb-${node.id}-value`, "aria-label": words.labelValue });
      select.append(element("option", { value: "", text: "…" }));
      for (const choice of field.choices) {
        select.append(
          element("option", { value: choice.code, text: choice.label, selected: choice.code === node.value }),
        );
      }
      select.addEventListener("change", () => {
        node.value = select.value;
        sync();
      });
      holder.append(select);
    } else if (shape === "one") {
      holder.append(
        textInput(node, field, `rb-${node.id}-value`, words.labelValue, node.value ?? "", (v) => {
          node.value = v;
        }),
      );
    } else if (shape === "list" && isChoice) {
      const chosen = new Set(node.value || []);
      const box = element("span", { class: "rb-choices", role: "group", "aria-label": words.labelValue });
      field.choices.forEach((choice, i) => {
        const id = `rb-${node.id}-choice-${i}`;
        const input = element("input", { type: "checkbox", id, value: choice.code, checked: chosen.has(choice.code) });
        input.addEventListener("change", () => {
          node.value = [...box.querySelectorAll("input:checked")].map((c) => c.value);
          sync();
        });
        box.append(element("label", { for: id }, [input, ` ${choice.label}`]));
      });
      holder.append(box);
    } else if (shape === "list") {
      const input = textInput(node, field, `rb-${node.id}-value`, words.labelValue, node.value ?? "", (v) => {
        node.value = v;
      });
      input.title = words.labelListHelp;
      input.placeholder = field.type === "number" ? "1, 2, 3" : "GRU, BOG, LIM";
      holder.append(input);
    } else if (shape === "range") {
      const pair = node.value || ["", ""];
      node.value = pair;
      holder.append(
        textInput(node, field, `rb-${node.id}-low`, words.labelLow, pair[0], (v) => {
          pair[0] = v;
        }),
        element("span", { class: "muted", text: " – " }),
        textInput(node, field, `rb-${node.id}-high`, words.labelHigh, pair[1], (v) => {
          pair[1] = v;
        }),
      );
    }
    if (field.unit && ["one", "range"].includes(shape)) {
      holder.append(element("span", { class: "muted rb-unit", text: ` ${field.unit}` }));
    }
    return holder;
  }

  function drawLeaf(node, parent) {
    const field = fields.get(node.field);
    const row = element("div", { class: "rb-leaf", "data-node": node.id });
    const controls = element("div", { class: "rb-controls" }, [fieldSelect(node)]);
    if (field) controls.append(opSelect(node, field), valueInputs(node, field));
    controls.append(button(words.labelRemove, () => remove(parent, node), "link rb-remove"));
    row.append(controls);
    if (field) row.append(element("div", { class: "helptext", text: field.help }));
    row.append(element("div", { class: "rb-error errorlist", role: "alert", hidden: "hidden" }));
    return row;
  }

  function drawGroup(node, parent) {
    const box = element("fieldset", { class: "rb-group", "data-node": node.id });
    const mode = element("select", { id: `rb-${node.id}-mode`, "aria-label": words.labelMode });
    for (const [value, text] of [
      ["all", words.labelAll],
      ["any", words.labelAny],
      ["not", words.labelNot],
    ]) {
      mode.append(element("option", { value, text, selected: value === node.mode }));
    }
    mode.addEventListener("change", () => {
      node.mode = mode.value;
      redraw(mode.id);
    });
    box.append(element("legend", {}, [element("span", { text: `${words.labelMode} ` }), mode]));
    const list = element("ol", { class: "rb-children" });
    for (const child of node.children) {
      list.append(element("li", {}, [draw(child, node)]));
    }
    box.append(list);
    const actions = element("div", { class: "rb-actions" }, [
      button(words.labelAddCondition, () => {
        const added = leaf();
        node.children.push(added);
        redraw(`rb-${added.id}-field`);
      }),
      button(words.labelAddGroup, () => {
        const added = leaf();
        node.children.push(group("any", [added]));
        redraw(`rb-${added.id}-field`);
      }),
    ]);
    if (parent) actions.append(button(words.labelRemove, () => remove(parent, node), "link rb-remove"));
    box.append(actions);
    box.append(element("div", { class: "rb-error errorlist", role: "alert", hidden: "hidden" }));
    return box;
  }

  function draw(node, parent) {
    return node.kind === "group" ? drawGroup(node, parent) : drawLeaf(node, parent);
  }

  function remove(parent, node) {
    parent.children = parent.children.filter((child) => child !== node);
    redraw(`rb-${parent.id}-mode`);
  }

  // --- keeping the JSON field and the errors in step ----------------------------------------

  let tree = null;

  function sync() {
    source.value = JSON.stringify(serialise(tree, ""));
  }

  function redraw(focusId) {
    root.replaceChildren(draw(tree, null));
    sync();
    if (focusId) document.getElementById(focusId)?.focus();
  }

  function nodesByPath(node, found = []) {
    found.push(node);
    if (node.kind === "group") node.children.forEach((child) => nodesByPath(child, found));
    return found;
  }

  // Put each "path: message" the server sent next to the deepest part of the tree it names.
  function showErrors(items) {
    root.querySelectorAll(".rb-invalid").forEach((el) => el.classList.remove("rb-invalid"));
    root.querySelectorAll(".rb-error").forEach((el) => {
      el.replaceChildren();
      el.hidden = true;
    });
    const nodes = nodesByPath(tree);
    for (const item of items) {
      const path = item.dataset.path || "";
      const owner = nodes
        .filter((n) => n.path === "" || n.path === path || path.startsWith(`${n.path}.`))
        .sort((a, b) => b.path.length - a.path.length)[0];
      const box = owner && root.querySelector(`[data-node="${owner.id}"]`);
      if (!box) continue;
      box.classList.add("rb-invalid");
      const slot = box.querySelector(":scope > .rb-error");
      slot.append(element("div", { text: item.textContent }));
      slot.hidden = false;
    }
  }

  function start() {
    let stored = null;
    try {
      stored = source.value.trim() ? JSON.parse(source.value) : null;
    } catch (error) {
      return; // not JSON: leave the field as it is so the person can mend it
    }
    let model = stored === null ? group("all", [leaf()]) : parse(stored);
    if (model && model.kind === "leaf") model = group("all", [model]);
    if (!model) return; // a tree the builder cannot show stays editable as JSON
    tree = model;
    const jsonRow = document.getElementById("condition-json");
    if (jsonRow) {
      jsonRow.hidden = true;
      const toggle = button(words.labelShowJson, () => {
        jsonRow.hidden = !jsonRow.hidden;
      }, "link rb-json-toggle");
      jsonRow.before(toggle);
    }
    redraw(null);
    showErrors(document.querySelectorAll("#condition-errors li"));
    // Hand edits of the JSON are taken back into the builder when they make a tree it shows.
    source.addEventListener("change", () => {
      try {
        const edited = parse(JSON.parse(source.value));
        if (edited) {
          tree = edited.kind === "leaf" ? group("all", [edited]) : edited;
          redraw(null);
        }
      } catch (error) {
        // keep the builder as it was; the server will name the fault on save or preview
      }
    });
    document.body.addEventListener("htmx:afterSettle", (event) => {
      if (event.target && event.target.id === "rule-preview") {
        showErrors(event.target.querySelectorAll(".condition-errors li"));
      }
    });
  }

  start();
})();
