// The live page of a posj node: plain JavaScript, no framework, no build step. Everything it shows
// comes from the node's API (/posj/v1/...) and its event stream; text is set with textContent only.
'use strict';

const API = '/posj/v1';
const ROUNDS_SHOWN = 15;
const BLOCKS_SHOWN = 5;
const BARS = 12;

const $ = (id) => document.getElementById(id);
// 'tutorial' (pos server: rounds) or 'network' (pos node: slots and leaders), from /node/status.
let mode = 'tutorial';
const network = () => mode === 'network';
const short = (hex) => (hex ? hex.slice(0, 12) + '…' : '');

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function get(path) {
  const response = await fetch(API + path, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!('data' in body)) throw new Error(body.message || response.statusText);
  return body;
}

function prepend(list, item, max) {
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
  list.insertBefore(item, list.firstChild);
  while (list.children.length > max) list.removeChild(list.lastChild);
}

function blockItem(block) {
  const item = el('li');
  item.appendChild(el('strong', '#' + block.index + ' '));
  item.appendChild(el('span', 'BPM ' + block.bpm + ' by '));
  item.appendChild(el('span', block.validator ? short(block.validator) : 'genesis', 'hex'));
  item.title = block.hash;
  return item;
}

function roundItem(round) {
  const item = el('li');
  item.dataset.round = round.round;
  item.appendChild(el('strong', 'Round ' + round.round + ': '));
  if (round.outcome === 'forged') {
    item.appendChild(el('span', 'forged block #' + round.index, 'forged'));
    item.appendChild(el('span', ', winner '));
    item.appendChild(el('span', short(round.winner), 'hex'));
  } else {
    item.appendChild(el('span', 'no block (' + round.reason + ')', 'skipped'));
  }
  item.appendChild(el('span', ' · ' + round.proposers + ' proposer(s), ' + round.proposals
      + ' proposal(s), ' + new Date(round.time).toLocaleTimeString()));
  return item;
}

function slashingItem(slashing) {
  const item = el('li', '', 'slash');
  item.appendChild(el('span', short(slashing.validator), 'hex'));
  item.appendChild(el('span', ' slashed: BPM "' + slashing.bpm + '" is not an integer; '
      + slashing.forfeited + ' tokens forfeited'));
  return item;
}

function slotItem(slot) {
  const item = el('li');
  item.dataset.slot = slot.slot;
  item.appendChild(el('strong', 'Slot ' + slot.slot + ' (epoch ' + slot.epoch + '): '));
  if (slot.outcome === 'block') {
    item.appendChild(el('span', 'block #' + slot.index, 'forged'));
    item.appendChild(el('span', ' by '));
  } else if (slot.outcome === 'empty') {
    item.appendChild(el('span', 'empty', 'skipped'));
    item.appendChild(el('span', ', no block from its leader '));
  } else {
    item.appendChild(el('span', 'open', 'open'));
    item.appendChild(el('span', ', leader '));
  }
  item.appendChild(el('span', short(slot.leader), 'hex'));
  item.appendChild(el('span', ' · ' + new Date(slot.start).toLocaleTimeString()));
  return item;
}

// A slot's entry changes as it begins, gets its block or ends empty: replace it in place.
function showSlot(slot) {
  const list = $('slots');
  const item = slotItem(slot);
  const old = list.querySelector('[data-slot="' + slot.slot + '"]');
  if (old) list.replaceChild(item, old);
  else prepend(list, item, ROUNDS_SHOWN);
}

function evidenceItem(evidence) {
  const item = el('li', '', 'slash');
  item.appendChild(el('span', short(evidence.validator), 'hex'));
  item.appendChild(el('span', ' signed two blocks for slot ' + evidence.slot
      + (evidence.stored ? ' (kept as evidence)' : ' (logged; could not be stored)')));
  return item;
}

function applyMode(status) {
  mode = status.mode === 'network' ? 'network' : 'tutorial';
  for (const node of document.querySelectorAll('[data-mode]')) {
    node.hidden = node.dataset.mode !== mode;
  }
  if (network()) {
    $('mode').textContent = 'Network mode: chain ' + status.chain_id + ', slots of '
        + status.slot_seconds + ' s, ' + status.epoch_slots + ' slots an epoch';
    $('skip').href = '#slots-heading';
    $('skip').textContent = 'Skip to the slots';
  } else {
    $('mode').textContent = 'Tutorial mode: a round every ' + status.round_millis / 1000 + ' s';
  }
}

function showHead(block) {
  $('height').textContent = block.index;
  $('head-hash').textContent = block.hash;
}

async function refreshStatus() {
  const status = (await get('/node/status')).data;
  applyMode(status);
  showHead(status.head);
  $('health').textContent = status.status;
  const c = status.connections;
  if (network()) {
    $('slot').textContent = status.slot + ' (epoch ' + status.epoch + ')';
    $('leader').textContent = status.leader || 'none before slot 1';
    $('connections').textContent = c.total + ' connection(s), ' + c.validators
        + ' validator(s) logged in; ' + status.event_subscribers + ' live page(s)/stream(s)';
    return;
  }
  $('rounds-count').textContent = status.rounds + ' (one every ' + status.round_millis / 1000 + ' s)';
  $('connections').textContent = c.total + ' validator connection(s): ' + c.text + ' text, '
      + c.json + ' JSON; ' + status.event_subscribers + ' live page(s)/stream(s)';
}

async function refreshValidators() {
  const body = await get('/validators?count=100');
  const rows = $('validators');
  rows.replaceChildren();
  for (const v of body.data) {
    const row = el('tr');
    const who = el('td', short(v.address), 'hex');
    who.title = v.address;
    row.appendChild(who);
    row.appendChild(el('td', v.stake));
    row.appendChild(el('td', (v.share * 100).toFixed(1) + ' %'));
    row.appendChild(el('td', String(made(v))));
    row.appendChild(el('td', expected(v).toFixed(2)));
    rows.appendChild(row);
  }
  drawChart(body.data.slice(0, BARS), body.total);
}

// What the chart compares: the tutorial's wins against expected wins, or the blocks a network
// node's validator made against the blocks its share leads one to expect.
const made = (v) => Number(network() ? v.blocks : v.wins);
const expected = (v) => (network() ? v.expected_blocks : v.expected_wins);

// A grouped bar chart in SVG: per validator, its wins (blue) over its expected wins (grey).
function drawChart(validators, total) {
  const svg = $('chart');
  const ns = 'http://www.w3.org/2000/svg';
  const rowHeight = 30;
  const label = 150;
  const width = 640;
  const max = Math.max(1, ...validators.map((v) => Math.max(made(v), expected(v))));
  svg.replaceChildren();
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + Math.max(40, validators.length * rowHeight + 10));
  const summary = [];
  validators.forEach((v, i) => {
    const y = i * rowHeight + 4;
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('x', 0);
    text.setAttribute('y', y + 16);
    text.textContent = short(v.address).slice(0, 8) + ' (' + v.stake + ')';
    svg.appendChild(text);
    const bars = [['expected', expected(v), 0], ['won', made(v), 12]];
    for (const [kind, value, dy] of bars) {
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('class', kind);
      rect.setAttribute('x', label);
      rect.setAttribute('y', y + dy);
      rect.setAttribute('height', 10);
      rect.setAttribute('width', Math.max(1, ((width - label - 95) * value) / max));
      svg.appendChild(rect);
    }
    const figures = document.createElementNS(ns, 'text');
    figures.setAttribute('x', width - 85);
    figures.setAttribute('y', y + 16);
    figures.textContent = made(v) + ' / ' + expected(v).toFixed(1);
    svg.appendChild(figures);
    summary.push(short(v.address) + (network() ? ' made ' : ' won ') + made(v) + ', expected '
        + expected(v).toFixed(1));
  });
  const what = network()
      ? 'Blocks made (blue, lower bar) against expected blocks (grey, upper bar)'
      : 'Wins (blue, lower bar) against expected wins (grey, upper bar)';
  $('chart-caption').textContent = validators.length === 0
      ? 'No validator is registered.'
      : what + ' for the ' + validators.length + ' largest of ' + total + ' validator(s): '
        + summary.join('; ') + '.';
}

async function loadAll() {
  await refreshStatus();
  if (network()) {
    const slots = (await get('/slots?count=' + ROUNDS_SHOWN)).data;
    $('slots').replaceChildren(...slots.map(slotItem));
    const evidence = (await get('/evidence')).data;
    if (evidence.length > 0) $('evidence').replaceChildren(...evidence.map(evidenceItem));
  } else {
    const rounds = (await get('/rounds?count=' + ROUNDS_SHOWN)).data;
    $('rounds').replaceChildren(...rounds.map(roundItem));
    const forged = rounds.find((r) => r.outcome === 'forged');
    if (forged) $('last-winner').textContent = forged.winner;
    const slashings = (await get('/slashings')).data;
    if (slashings.length > 0) $('slashings').replaceChildren(...slashings.map(slashingItem));
  }
  const height = Number($('height').textContent);
  const from = Math.max(0, height - BLOCKS_SHOWN + 1);
  const blocks = (await get('/blocks?from=' + from + '&count=' + BLOCKS_SHOWN)).data;
  $('blocks').replaceChildren(...blocks.reverse().map(blockItem));
  await refreshValidators();
}

function listen() {
  const state = $('stream-state');
  const topics = network() ? 'head,slot,evidence' : 'head,round,slashing';
  const source = new EventSource(API + '/events?topics=' + topics);
  source.onopen = () => {
    state.textContent = network()
      ? 'live: slots and blocks appear as they happen'
      : 'live: rounds appear as they end';
    state.className = 'live';
  };
  source.onerror = () => {
    state.textContent = 'connection lost; reconnecting…';
    state.className = '';
  };
  source.addEventListener('head', (event) => {
    const block = JSON.parse(event.data);
    showHead(block);
    prepend($('blocks'), blockItem(block), BLOCKS_SHOWN);
    if (network()) refreshValidators().catch(() => {});
  });
  source.addEventListener('slot', (event) => {
    showSlot(JSON.parse(event.data));
    refreshStatus().catch(() => {});
  });
  source.addEventListener('evidence', (event) => {
    prepend($('evidence'), evidenceItem(JSON.parse(event.data)), 20);
  });
  source.addEventListener('round', (event) => {
    const round = JSON.parse(event.data);
    const list = $('rounds');
    if (list.querySelector('[data-round="' + round.round + '"]')) return;
    prepend(list, roundItem(round), ROUNDS_SHOWN);
    if (round.outcome === 'forged') $('last-winner').textContent = round.winner;
    refreshStatus().catch(() => {});
    refreshValidators().catch(() => {});
  });
  source.addEventListener('slashing', (event) => {
    prepend($('slashings'), slashingItem(JSON.parse(event.data)), 20);
  });
}

loadAll().catch((error) => {
  $('stream-state').textContent = 'could not read the node: ' + error.message;
}).finally(listen);
