// The live page of a posj node: plain JavaScript, no framework, no build step. Everything it shows
// comes from the node's API (/posj/v1/...) and its event stream; text is set with textContent only.
'use strict';

const API = '/posj/v1';
const ROUNDS_SHOWN = 15;
const BLOCKS_SHOWN = 5;
const BARS = 12;

const $ = (id) => document.getElementById(id);
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

function showHead(block) {
  $('height').textContent = block.index;
  $('head-hash').textContent = block.hash;
}

async function refreshStatus() {
  const status = (await get('/node/status')).data;
  showHead(status.head);
  $('rounds-count').textContent = status.rounds + ' (one every ' + status.round_millis / 1000 + ' s)';
  $('health').textContent = status.status;
  const c = status.connections;
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
    row.appendChild(el('td', v.wins));
    row.appendChild(el('td', v.expected_wins.toFixed(2)));
    rows.appendChild(row);
  }
  drawChart(body.data.slice(0, BARS), body.total);
}

// A grouped bar chart in SVG: per validator, its wins (blue) over its expected wins (grey).
function drawChart(validators, total) {
  const svg = $('chart');
  const ns = 'http://www.w3.org/2000/svg';
  const rowHeight = 30;
  const label = 150;
  const width = 640;
  const max = Math.max(1, ...validators.map((v) => Math.max(Number(v.wins), v.expected_wins)));
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
    const bars = [['expected', v.expected_wins, 0], ['won', Number(v.wins), 12]];
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
    figures.textContent = v.wins + ' / ' + v.expected_wins.toFixed(1);
    svg.appendChild(figures);
    summary.push(short(v.address) + ' won ' + v.wins + ', expected ' + v.expected_wins.toFixed(1));
  });
  $('chart-caption').textContent = validators.length === 0
      ? 'No validator is registered.'
      : 'Wins (blue, lower bar) against expected wins (grey, upper bar) for the ' + validators.length
        + ' largest of ' + total + ' validator(s): ' + summary.join('; ') + '.';
}

async function loadAll() {
  await refreshStatus();
  const rounds = (await get('/rounds?count=' + ROUNDS_SHOWN)).data;
  $('rounds').replaceChildren(...rounds.map(roundItem));
  const forged = rounds.find((r) => r.outcome === 'forged');
  if (forged) $('last-winner').textContent = forged.winner;
  const height = Number($('height').textContent);
  const from = Math.max(0, height - BLOCKS_SHOWN + 1);
  const blocks = (await get('/blocks?from=' + from + '&count=' + BLOCKS_SHOWN)).data;
  $('blocks').replaceChildren(...blocks.reverse().map(blockItem));
  const slashings = (await get('/slashings')).data;
  if (slashings.length > 0) $('slashings').replaceChildren(...slashings.map(slashingItem));
  await refreshValidators();
}

function listen() {
  const state = $('stream-state');
  const source = new EventSource(API + '/events?topics=head,round,slashing');
  source.onopen = () => {
    state.textContent = 'live: rounds appear as they end';
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
