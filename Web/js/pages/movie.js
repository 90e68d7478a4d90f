import { currentUser, get, post } from '../api.js';
import { escape, row } from '../cards.js';

export async function moviePage(main, id, method = 'item2vec') {
  const movie = await get(`/api/v1/movies/${id}`);
  const user = currentUser();
  let prediction = '';
  if (user) {
    try {
      const p = await post('/v1/models/embedding-mlp:predict', { instances: [{ userId: user, movieId: id }] });
      prediction = `<p>Embedding+MLP predicts user ${user} likes it with probability <strong data-testid="prediction">${p.predictions[0][0].toFixed(3)}</strong>.</p>`;
    } catch (error) { prediction = `<p class="error">${escape(error.message)}</p>`; }
  }
  const links = [movie.imdb && `<a href="${movie.imdb}">IMDb</a>`, movie.tmdb && `<a href="${movie.tmdb}">TMDb</a>`].filter(Boolean).join(' · ');
  const methods = ['item2vec', 'deepwalk', 'node2vec', 'genre'];
  const similar = await get(`/api/v1/similar?movie=${id}&n=12&method=${method}`);
  main.innerHTML = `<h1>${escape(movie.title)} <small>(${movie.year ?? 'year unknown'})</small></h1>
    <section class="details" aria-label="Details">
      <p>${movie.genres.map((g) => `<a class="badge" href="#/genre/${encodeURIComponent(g)}/0">${escape(g)}</a>`).join('') || 'No genres listed'}</p>
      <p>Average of ${movie.ratingCount} ratings: ${movie.averageRating.toFixed(2)} stars (smoothed ${movie.bayesianRating.toFixed(2)}).</p>
      <p>${links || 'No external links.'}</p>
      ${prediction || '<p>Pick a user to see a personal prediction.</p>'}
    </section>
    <h2 id="similar-title">People who liked this also liked</h2>
    <div class="switch" role="group" aria-labelledby="similar-title">${methods.map((m) => `<button type="button" data-method="${m}" aria-pressed="${m === method}">${m}</button>`).join('')}</div>
    ${row(`Similar by ${method}`, similar.movies.map((s) => s.movie))}`;
  main.querySelectorAll('[data-method]').forEach((b) => b.addEventListener('click', () => moviePage(main, id, b.dataset.method)));
}
