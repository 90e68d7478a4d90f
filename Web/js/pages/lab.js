import { currentUser, get } from '../api.js';
import { escape, explanation, row } from '../cards.js';

const colours = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function chart(title, series, xLabel, yLabel, bounds = [0, 1, 0, 1]) {
  const [x0, x1, y0, y1] = bounds;
  const px = (x) => 40 + (x - x0) / (x1 - x0 || 1) * 340;
  const py = (y) => 260 - (y - y0) / (y1 - y0 || 1) * 220;
  const lines = series.map(([name, points], k) => `<polyline fill="none" stroke="${colours[k % 10]}" stroke-width="1.5" points="${points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"><title>${escape(name)}</title></polyline>
    <text x="375" y="${52 + k * 12}" text-anchor="end" font-size="10" fill="${colours[k % 10]}">${escape(name)}</text>`).join('');
  return `<figure><svg viewBox="0 0 400 300" role="img" aria-label="${escape(title)}"><rect x="40" y="40" width="340" height="220" fill="none" stroke="#999"/>${lines}
    <text x="210" y="292" text-anchor="middle" font-size="11">${escape(xLabel)}</text><text x="10" y="150" font-size="11" transform="rotate(-90 10 150)" text-anchor="middle">${escape(yLabel)}</text></svg>
    <figcaption>${escape(title)}</figcaption></figure>`;
}

export async function labPage(main, left = 'embedding-mlp', right = 'neuralcf') {
  let report = null;
  try { report = await get('/api/v1/report'); } catch (error) { report = null; }
  let html = '<h1>Model lab</h1>';
  if (report) {
    if (report.topK && report.topK.length) {
      const n = (v, d) => (v === undefined || v === null ? '–' : v.toFixed(d));
      html += `<h2>Top-K recommendation (${escape(report.topKProtocol || 'leave-last-out')}, K = 10)</h2><table><thead><tr><th>list</th><th>HR@10</th><th>NDCG@10</th><th>coverage</th><th>novelty</th><th>genre diversity</th><th>popularity pct</th><th>long tail</th></tr></thead><tbody>`
        + report.topK.map((e) => `<tr><td>${escape(e.method)}</td><td>${n(e.metrics.hitRate, 4)}</td><td>${n(e.metrics.ndcg, 4)}</td><td>${n(e.metrics.coverage, 3)}</td><td>${n(e.metrics.novelty, 2)}</td><td>${n(e.metrics.diversity, 3)}</td><td>${n(e.metrics.popularityPercentile, 3)}</td><td>${n(e.metrics.longTailShare, 3)}</td></tr>`).join('')
        + '</tbody></table>';
    }
    html += '<h2>Offline metrics</h2><table><thead><tr><th>model</th><th>samples</th><th>ROC AUC</th><th>PR AUC</th><th>LogLoss</th><th>train s</th></tr></thead><tbody>'
      + report.ranking.map((e) => `<tr><td>${escape(e.model)}</td><td>${escape(e.samples)}</td><td>${e.metrics.rocAUC.toFixed(4)}</td><td>${e.metrics.prAUC.toFixed(4)}</td><td>${e.metrics.logLoss.toFixed(4)}</td><td>${e.trainingSeconds.toFixed(2)}</td></tr>`).join('')
      + '</tbody></table>';
    const set = report.ranking.filter((e) => e.samples === 'sparrow-random');
    const losses = set.flatMap((e) => e.history.map((h) => h.trainLoss));
    html += '<div class="charts">'
      + chart('ROC curves (Sparrow samples, random split)', set.map((e) => [e.model, e.curves.roc]), 'false-positive rate', 'true-positive rate')
      + chart('Precision–recall', set.map((e) => [e.model, e.curves.pr]), 'recall', 'precision')
      + chart('Training loss per epoch', set.map((e) => [e.model, e.history.map((h) => [h.epoch, h.trainLoss])]), 'epoch', 'log loss', [1, 5, Math.min(...losses) * 0.95, Math.max(...losses) * 1.05])
      + '</div>';
    if (report.embeddingMap.length) {
      const xs = report.embeddingMap.map((p) => p.x), ys = report.embeddingMap.map((p) => p.y);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const genres = [...new Set(report.embeddingMap.map((p) => p.genre))].sort();
      const dots = report.embeddingMap.map((p) => `<circle cx="${(10 + (p.x - x0) / (x1 - x0) * 460).toFixed(1)}" cy="${(10 + (p.y - y0) / (y1 - y0) * 380).toFixed(1)}" r="2.5" fill="${colours[genres.indexOf(p.genre) % 10]}"><title>${escape(p.title)} (${escape(p.genre)})</title></circle>`).join('');
      html += `<h2>Movie embedding map (item2vec, PCA, coloured by first genre)</h2><figure style="width:600px;max-width:100%"><svg viewBox="0 0 600 400" role="img" aria-label="embedding map">${dots}${genres.slice(0, 10).map((g, k) => `<text x="480" y="${16 + k * 13}" font-size="10" fill="${colours[k]}">${escape(g)}</text>`).join('')}</svg></figure>`;
    }
  } else {
    html += '<p>No evaluation report yet — run <code>sparrow eval</code> (the demo does).</p>';
  }
  const user = currentUser() || 1;
  const models = (await get('/api/v1/models')).models.map((m) => m.name);
  const [a, b] = await Promise.all([left, right].map((m) => get(`/api/v1/recommend?user=${user}&n=8&explain=true&model=${encodeURIComponent(m)}`)));
  const picker = (id, value) => `<select id="${id}" aria-label="${id}">${['emb', ...models].map((m) => `<option${m === value ? ' selected' : ''}>${m}</option>`).join('')}</select>`;
  html += `<h2>Side by side for user ${user}</h2><p>${picker('left-model', left)} versus ${picker('right-model', right)}</p>
    <div class="charts"><div style="flex:1">${row(left, a.items, { extra: explanation, grid: true })}</div><div style="flex:1">${row(right, b.items, { extra: explanation, grid: true })}</div></div>`;
  main.innerHTML = html;
  const update = () => labPage(main, main.querySelector('#left-model').value, main.querySelector('#right-model').value);
  main.querySelector('#left-model').addEventListener('change', update);
  main.querySelector('#right-model').addEventListener('change', update);
}
