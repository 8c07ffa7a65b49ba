// The operator console: signs in with an API key kept in sessionStorage (this tab only) and shows the
// API's own answers. Every value from the server is set as text (textContent), never parsed as HTML;
// the usage charts are SVG drawn by the server (/usage/chart.svg), parsed as SVG and holding no script.
'use strict';

const KEY = 'media-pipeline.key';
let timer = null;
let jobNames = [];

function key() {
  return sessionStorage.getItem(KEY);
}

async function api(path, options = {}) {
  const headers = { 'X-Api-Key': key(), Accept: 'application/json', ...(options.headers || {}) };
  if (options.body) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { ...options, headers, cache: 'no-store' });
  if (response.status === 401) {
    signOut('The key was refused (revoked or expired?). Sign in again.');
    throw new Error('unauthorized');
  }
  return response;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

function bar(percent) {
  const outer = document.createElement('span');
  outer.className = 'bar';
  const inner = document.createElement('span');
  inner.style.width = Math.max(0, Math.min(100, percent || 0)) + '%';
  outer.appendChild(inner);
  return outer;
}

function time(value) {
  return value ? String(value).replace('T', ' ').replace(/\.\d+$/, '') : '';
}

async function signIn(candidate) {
  sessionStorage.setItem(KEY, candidate);
  const response = await fetch('/jobs', { headers: { 'X-Api-Key': candidate, Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    sessionStorage.removeItem(KEY);
    document.getElementById('sign-in-error').textContent = response.status === 403
      ? 'This key may not run jobs: the console needs an admin key or a key with the jobs scope.'
      : 'The key was refused (' + response.status + ').';
    return;
  }
  jobNames = (await response.json()).map((j) => j.name);
  document.getElementById('sign-in-error').textContent = '';
  document.getElementById('sign-in').hidden = true;
  document.getElementById('console').hidden = false;
  document.getElementById('sign-out').hidden = false;
  // a key's public prefix only (mp_<12>_…); a configured admin key of another form is never shown
  const prefix = /^mp_[a-z0-9]{12}_/.exec(candidate);
  document.getElementById('who').textContent = 'signed in with ' + (prefix ? prefix[0] + '…' : 'the configured admin key');
  await refresh();
  await Promise.all([failures(), schedules(), usage()]);
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  clearTimeout(timer);
  document.getElementById('console').hidden = true;
  document.getElementById('sign-in').hidden = false;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('sign-in-error').textContent = message || '';
}

async function executions() {
  const pages = await Promise.all(jobNames.map(async (name) => {
    const response = await api('/jobs/' + encodeURIComponent(name) + '/executions?size=5');
    return response.ok ? (await response.json()).executions : [];
  }));
  const all = pages.flat().sort((a, b) => b.id - a.id).slice(0, 20);
  const body = document.querySelector('#executions tbody');
  body.replaceChildren();
  for (const e of all) {
    const row = document.createElement('tr');
    row.dataset.execution = String(e.id);
    row.dataset.status = e.status;
    cell(row, e.id);
    cell(row, e.job);
    cell(row, e.status, 'status status-' + e.status);
    const progress = cell(row, '');
    const p = e.progress || {};
    progress.appendChild(bar(e.status === 'COMPLETED' ? 100 : p.percent));
    progress.append(' ' + (p.doneItems ?? 0) + (p.expectedItems >= 0 ? ' / ' + p.expectedItems : '') + ' items');
    const partitions = cell(row, '');
    for (const s of (e.steps || []).filter((s) => s.partition)) {
      const line = document.createElement('div');
      line.className = 'partition';
      line.dataset.partition = s.partition;
      line.appendChild(bar(s.status === 'COMPLETED' ? 100 : s.percent));
      line.append(' ' + s.partition + ' ' + s.status + ' ' + s.doneItems + (s.expectedItems >= 0 ? '/' + s.expectedItems : '')
        + (s.worker ? ' on ' + s.worker : ''));
      partitions.appendChild(line);
    }
    cell(row, time(e.startTime));
    body.appendChild(row);
  }
  return all.some((e) => ['STARTING', 'STARTED', 'STOPPING'].includes(e.status));
}

async function refresh() {
  clearTimeout(timer);
  let running = false;
  try {
    running = await executions();
  } catch (e) {
    if (e.message === 'unauthorized') {
      return;
    }
  }
  timer = setTimeout(refresh, running ? 1000 : 3000);
}

async function failures() {
  const response = await api('/failures/classes');
  const body = document.querySelector('#failures tbody');
  body.replaceChildren();
  if (!response.ok) {
    return;
  }
  for (const c of await response.json()) {
    const row = document.createElement('tr');
    row.dataset.failureClass = c.failure_class;
    cell(row, c.failure_class);
    cell(row, c.open);
    const action = cell(row, '');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Requeue';
    button.addEventListener('click', () => requeue(c.failure_class, button));
    action.appendChild(button);
    body.appendChild(row);
  }
}

async function requeue(failureClass, button) {
  button.disabled = true;
  const status = document.getElementById('requeued');
  const response = await api('/jobs/requeueFailures/executions', {
    method: 'POST',
    body: JSON.stringify({ parameters: { failureClass, run: 'console-' + Date.now() } }),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    status.dataset.execution = String(answer.id);
    status.textContent = 'Requeued ' + failureClass + ': execution ' + answer.id;
    refresh();
  } else {
    status.textContent = 'Requeue refused (' + response.status + '): ' + (answer.detail || '');
  }
  button.disabled = false;
}

async function schedules() {
  const response = await api('/schedules');
  const body = document.querySelector('#schedules tbody');
  body.replaceChildren();
  if (!response.ok) {
    return;
  }
  for (const s of await response.json()) {
    const row = document.createElement('tr');
    row.dataset.schedule = s.name;
    cell(row, s.name);
    cell(row, s.job);
    cell(row, s.cron);
    cell(row, s.zone);
    cell(row, s.state);
    cell(row, time(s.nextFireTime));
    body.appendChild(row);
  }
}

async function usage() {
  const error = document.getElementById('usage-error');
  error.textContent = '';
  for (const metric of ['bytes', 'requests', 'storage']) {
    const target = document.getElementById('chart-' + metric);
    const response = await api('/usage/chart.svg?metric=' + metric, { headers: { Accept: 'image/svg+xml' } });
    if (!response.ok) {
      error.textContent = response.status === 403 ? 'The usage charts need a key with the read scope.' : 'Usage: ' + response.status;
      return;
    }
    const svg = new DOMParser().parseFromString(await response.text(), 'image/svg+xml').documentElement;
    if (svg.nodeName !== 'svg' || svg.querySelector('script')) {
      error.textContent = 'Usage: the chart could not be read';
      return;
    }
    target.replaceChildren(document.importNode(svg, true));
    target.dataset.loaded = 'true';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('key');
    const candidate = input.value.trim();
    input.value = '';
    if (candidate) {
      signIn(candidate);
    }
  });
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  if (key()) {
    signIn(key());
  }
});
