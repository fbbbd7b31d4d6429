// Status page: polls the gateway's own JSON API; no external resources.
(function () {
  'use strict';
  const $ = (s) => document.querySelector(s);
  let selected = null;
  const charts = {};
  const chartDefs = [
    { id: 'chart-soc', keys: ['soc'], colors: ['#2b6cb0'] },
    { id: 'chart-voltage', keys: ['dcVoltage'], colors: ['#6b46c1'] },
    { id: 'chart-current', keys: ['dcCurrent'], colors: ['#c05621'] },
    { id: 'chart-power', keys: ['power'], colors: ['#2f855a'] },
    { id: 'chart-temperature', keys: ['maxCellTemperature', 'minCellTemperature'], colors: ['#c53030', '#3182ce'] },
  ];

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  async function get(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.json();
  }
  function age(iso) {
    if (!iso) return '–';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 120 ? s + ' s ago' : Math.round(s / 60) + ' min ago';
  }

  async function refreshDevices() {
    const devices = await get('/api/devices');
    if (!selected && devices.length) selected = devices[0].id;
    const body = $('#devices tbody');
    body.innerHTML = devices.map((d) =>
      `<tr data-device="${esc(d.id)}" class="${d.id === selected ? 'selected' : ''}">
        <td>${esc(d.id)}</td><td><span class="badge ${esc(d.state)}">${esc(d.state)}</span></td>
        <td>${age(d.lastTick)}</td><td>${d.lastCycleMs.toFixed(1)} ms</td><td>${d.activeAlarms}</td>
        <td class="wide" title="${d.bus ? 'RTU bus ' + esc(d.bus) : ''}">${esc(d.transport)} · ${esc(d.address)}</td>
        <td class="err wide" title="${esc(d.lastError)}">${esc(d.lastError || '')}</td></tr>`).join('');
    body.querySelectorAll('tr').forEach((tr) => tr.addEventListener('click', () => {
      selected = tr.dataset.device;
      refreshDevices();
      refreshCharts();
    }));
  }

  async function refreshStatus() {
    const s = await get('/api/status?devices=false');
    const w = s.writer;
    const el = $('#storage');
    if (!w) { el.textContent = 'not running'; el.className = 'badge offline'; return; }
    const ok = w.schemaReady && !w.lastError;
    el.textContent = ok ? 'database ok' : 'database unreachable: buffering ' + w.buffered;
    el.className = 'badge ' + (ok ? 'ok' : 'degraded');
  }

  async function refreshAlarms() {
    const a = await get('/api/alarms');
    const list = $('#alarms');
    list.innerHTML = a.active.length === 0 ? '<li class="none">none</li>' : a.active.map((x) =>
      `<li data-code="${esc(x.code)}"><span class="badge ${esc(x.level)}">${esc(x.level)}</span> <b>${esc(x.code)}</b>
       ${esc(x.message)} <span class="since">since ${new Date(x.start).toLocaleTimeString()}</span></li>`).join('');
  }

  async function refreshLoss() {
    const r = await get('/api/loss');
    $('#loss-zone').textContent = '(' + r.date + ', ' + r.zone + ')';
    $('#loss tbody').innerHTML = r.devices.map((s) =>
      `<tr data-device="${esc(s.device)}"><td>${esc(s.device)}</td><td>${s.expectedSinceFirstRecord.toLocaleString()}</td>
        <td>${s.storedRows.toLocaleString()}</td><td>${s.lossPercentSinceFirstRecord.toFixed(2)} %</td>
        <td class="wide">${s.lossPercent.toFixed(2)} %</td></tr>`).join('');
  }

  function chartWidth(el) {
    return Math.max(260, Math.floor(el.getBoundingClientRect().width));
  }

  async function refreshCharts() {
    if (!selected) return;
    $('#chart-device').textContent = selected;
    // an hour from the raw rows every 10 s; longer windows from the rollups, whose width the answer gives
    const minutes = Number($('#chart-window').value);
    const h = await get('/api/devices/' + encodeURIComponent(selected) + '/history?minutes=' + minutes + '&step=' + (minutes <= 60 ? 10 : 60));
    $('#chart-resolution').textContent = h.resolution === 'raw' ? '(every ' + h.stepSeconds + ' s)'
      : '(rollup ' + h.resolution + ', every ' + (h.stepSeconds >= 3600 ? h.stepSeconds / 3600 + ' h' : h.stepSeconds / 60 + ' min') + ')';
    const byKey = {};
    h.series.forEach((s) => { byKey[s.key] = s; });
    chartDefs.forEach((def) => {
      const el = document.getElementById(def.id);
      const present = def.keys.filter((k) => byKey[k]);
      if (present.length === 0) { el.dataset.points = 0; return; }
      const data = [h.t].concat(present.map((k) => byKey[k].values));
      const unit = byKey[present[0]].unit || '';
      let chart = charts[def.id];
      if (!chart || chart.seriesCount !== present.length) {
        if (chart) chart.plot.destroy();
        const opts = {
          width: chartWidth(el), height: 170,
          series: [{}].concat(present.map((k, i) => ({ label: byKey[k].column, stroke: def.colors[i], width: 1.5,
            value: (u, v) => v == null ? '–' : v.toFixed(1) + ' ' + unit }))),
          axes: [{}, { size: 72, values: (u, vals) => vals.map((v) => v + (unit ? ' ' + unit : '')) }],
          legend: { live: true },
        };
        chart = { plot: new uPlot(opts, data, el), seriesCount: present.length };
        charts[def.id] = chart;
      } else {
        chart.plot.setData(data);
      }
      el.dataset.points = h.t.length;
    });
  }

  function safe(fn) {
    return () => fn().catch((e) => console.warn(e.message));
  }
  function every(ms, fn) {
    safe(fn)();
    setInterval(safe(fn), ms);
  }
  every(1000, async () => { $('#clock').textContent = new Date().toLocaleTimeString(); });
  every(2000, refreshDevices);
  every(2000, refreshAlarms);
  every(5000, refreshStatus);
  every(30000, refreshLoss);
  // charts wait for the device list, then follow it
  setTimeout(() => every(5000, refreshCharts), 300);
  $('#chart-window').addEventListener('change', safe(refreshCharts));
  window.addEventListener('resize', () => Object.entries(charts).forEach(([id, c]) => {
    c.plot.setSize({ width: chartWidth(document.getElementById(id)), height: 170 });
  }));
})();
