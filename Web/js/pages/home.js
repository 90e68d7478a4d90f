import { currentUser, get } from '../api.js';
import { explanation, row } from '../cards.js';

const genres = ['Drama', 'Comedy', 'Action', 'Thriller', 'Romance', 'Adventure'];

export async function home(main) {
  const user = currentUser();
  const [popular, ...rows] = await Promise.all([
    get('/api/v1/popular?n=12'),
    ...genres.map((g) => get(`/api/v1/movies?genre=${encodeURIComponent(g)}&sort=rating&limit=12`)),
  ]);
  let html = '<h1>Movies</h1>';
  if (user) {
    const recs = await get(`/api/v1/recommend?user=${user}&n=12&explain=true`);
    html += row(`Recommended for you (user ${user}, ${recs.model}${recs.bucket ? `, bucket ${recs.bucket}` : ''})`, recs.items, { extra: explanation });
  } else {
    html += '<p>Pick a user above to see recommendations.</p>';
  }
  html += row('Popular now', popular.movies);
  rows.forEach((r, k) => { html += row(`Top rated: ${genres[k]}`, r.movies) + `<p><a href="#/genre/${genres[k]}/0">All ${genres[k]} movies →</a></p>`; });
  main.innerHTML = html;
}
