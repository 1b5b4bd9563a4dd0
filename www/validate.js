// The demo page: runs the adapter's validator (wasm) on a pasted definition. Text from the
// definition is always inserted as text, never as HTML.
import init, { explainCallCenter } from './pkg/wxcc_sfdc_adapter.js';

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function show(result) {
  const list = $('diagnostics');
  list.replaceChildren();
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  $('summary').textContent = `${errors} error(s), ${warnings} warning(s)`;
  $('summary').className = errors ? 'error' : warnings ? 'warning' : '';
  for (const d of result.diagnostics) {
    const item = el('li', d.severity);
    item.dataset.code = d.code;
    item.append(el('strong', null, `${d.severity}: `), document.createTextNode(d.message));
    const where = d.line ? `line ${d.line}, column ${d.column} — ${d.path}` : d.path;
    item.append(el('div', 'where', where));
    if (d.hint) item.append(el('div', 'hint', `hint: ${d.hint}`));
    list.append(item);
  }
  $('config').textContent = JSON.stringify(result.config, null, 2);
}

async function main() {
  await init();
  $('check').disabled = false;
  $('summary').textContent = 'Paste a definition and press Check.';
  $('check').addEventListener('click', () => show(explainCallCenter($('xml').value)));
  $('sample').addEventListener('click', async () => {
    const response = await fetch('samples/cisco-legacy-callcenter-definition.xml');
    $('xml').value = await response.text();
    show(explainCallCenter($('xml').value));
  });
}

main().catch((err) => { $('summary').textContent = `The checker failed to start: ${err}`; });
