// The router: #/, #/movie/ID, #/user/ID, #/genre/NAME/PAGE, #/search?q=…, #/lab.
import { currentUser, get, setUser } from './api.js';
import { escape } from './cards.js';
import { home } from './pages/home.js';
import { moviePage } from './pages/movie.js';
import { userPage } from './pages/user.js';
import { genrePage } from './pages/genre.js';
import { searchPage } from './pages/search.js';
import { labPage } from './pages/lab.js';

const main = document.getElementById('main');

async function route() {
  const hash = location.hash.slice(1) || '/';
  const [path, query] = hash.split('?');
  const parts = path.split('/').filter(Boolean);
  document.body.dataset.ready = 'false';
  main.innerHTML = '<p class="loading">Loading…</p>';
  try {
    if (parts[0] === 'movie') await moviePage(main, Number(parts[1]));
    else if (parts[0] === 'user') await userPage(main, Number(parts[1]));
    else if (parts[0] === 'genre') await genrePage(main, decodeURIComponent(parts[1] || 'Drama'), Number(parts[2] || 0));
    else if (parts[0] === 'search') await searchPage(main, new URLSearchParams(query || '').get('q') || '');
    else if (parts[0] === 'lab') await labPage(main);
    else await home(main);
  } catch (error) {
    console.error(error);
    main.innerHTML = `<p class="error" role="alert">${escape(error.message)}</p>`;
  }
  document.body.dataset.ready = 'true';
}

// Search as you type (debounced).
let timer;
document.getElementById('search-input').addEventListener('input', (event) => {
  clearTimeout(timer);
  const q = event.target.value.trim();
  timer = setTimeout(() => { if (q.length >= 2) location.hash = `#/search?q=${encodeURIComponent(q)}`; }, 250);
});
document.getElementById('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const q = document.getElementById('search-input').value.trim();
  if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
});

// The user picker.
const userInput = document.getElementById('user-input');
if (currentUser()) userInput.value = currentUser();
document.getElementById('user-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = Number(userInput.value);
  if (id > 0) { setUser(id); location.hash = `#/user/${id}`; }
});
document.getElementById('sample-users').innerHTML = [1, 42, 414].map((id) => `<a href="#/user/${id}">${id}</a>`).join('');

window.addEventListener('hashchange', route);
route();
export { get };
