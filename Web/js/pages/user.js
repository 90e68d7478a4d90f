import { get, post, setUser } from '../api.js';
import { escape, explanation, row } from '../cards.js';

export async function userPage(main, id, model = null) {
  setUser(id);
  document.getElementById('user-input').value = id;
  const [user, models] = await Promise.all([get(`/api/v1/users/${id}`), get('/api/v1/models')]);
  const names = ['(A/B bucket)', 'emb', ...models.models.map((m) => m.name)];
  const recs = await get(`/api/v1/recommend?user=${id}&n=16&explain=true${model ? `&model=${encodeURIComponent(model)}` : ''}`);
  main.innerHTML = `<h1>User ${id}</h1>
    <section class="details" aria-label="Profile">
      <p>${user.ratingCount} ratings, average ${user.averageRating.toFixed(2)} stars.</p>
      <p>Favourite genres: ${user.favouriteGenres.map((g) => `<span class="badge">${escape(g)}</span>`).join('') || 'none yet'}</p>
      <form id="rate-form"><label for="rate-movie">Rate a movie (id)</label> <input id="rate-movie" type="number" min="1" required>
        <label for="rate-stars">stars</label> <select id="rate-stars">${[5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5, 1, 0.5].map((s) => `<option>${s}</option>`).join('')}</select>
        <button type="submit">Rate</button> <span id="rate-status" role="status"></span></form>
    </section>
    <h2 id="rec-title">Recommendations — model ${escape(recs.model)}${recs.bucket ? `, A/B bucket <strong data-testid="bucket">${escape(recs.bucket)}</strong>` : ''}</h2>
    <div class="switch" role="group" aria-labelledby="rec-title">${names.map((n) => `<button type="button" data-model="${n}" aria-pressed="${(model ?? '(A/B bucket)') === n}">${n}</button>`).join('')}</div>
    ${row('Recommended for you', recs.items, { extra: explanation, grid: true })}
    ${row('Watched (newest first)', user.history.slice(0, 24).map((h) => ({ ...h.movie, ratingCount: h.movie.ratingCount })), { extra: (m) => '' })}`;
  main.querySelectorAll('[data-model]').forEach((b) => b.addEventListener('click', () => userPage(main, id, b.dataset.model === '(A/B bucket)' ? null : b.dataset.model)));
  main.querySelector('#rate-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const movieId = Number(main.querySelector('#rate-movie').value);
    const rating = Number(main.querySelector('#rate-stars').value);
    try {
      await post('/api/v1/events', { type: 'rating', userId: id, movieId, rating });
      await userPage(main, id, model);
      main.querySelector('#rate-status').textContent = `Saved: ${rating} stars for movie ${movieId}. Recommendations updated.`;
    } catch (error) { main.querySelector('#rate-status').textContent = error.message; }
  });
}
