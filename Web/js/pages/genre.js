import { get } from '../api.js';
import { escape, row } from '../cards.js';

export async function genrePage(main, genre, page) {
  const size = 24;
  const [list, genres] = await Promise.all([get(`/api/v1/movies?genre=${encodeURIComponent(genre)}&sort=rating&limit=${size}&offset=${page * size}`), get('/api/v1/genres')]);
  main.innerHTML = `<h1>${escape(genre)} — top rated (page ${page + 1})</h1>
    <nav aria-label="Genres" class="switch">${genres.genres.map((g) => `<a class="badge" href="#/genre/${encodeURIComponent(g)}/0">${escape(g)}</a>`).join('')}</nav>
    ${row(`${genre} movies`, list.movies, { grid: true })}
    <nav class="pager" aria-label="Pages">${page > 0 ? `<a href="#/genre/${encodeURIComponent(genre)}/${page - 1}">← Previous</a>` : ''}
    ${list.movies.length === size ? `<a href="#/genre/${encodeURIComponent(genre)}/${page + 1}">Next →</a>` : ''}</nav>`;
}
