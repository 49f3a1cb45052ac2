/**
 * /assets/refresh.js: reloads the overview every 30 seconds, unless the person is typing in a
 * field or has opened a table of numbers, or the tab is hidden. The page works without it (it
 * has a Refresh link); served from the executable like app.css.
 */
export const REFRESH_JS = `(function () {
  var PERIOD_MS = 30000;
  var lastInput = 0;
  document.addEventListener('input', function () { lastInput = Date.now(); });
  document.addEventListener('keydown', function () { lastInput = Date.now(); });
  setInterval(function () {
    var active = document.activeElement;
    var typing = active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.tagName === 'SELECT');
    var reading = document.querySelector('details[open]');
    if (document.hidden || typing || reading || Date.now() - lastInput < PERIOD_MS) return;
    window.location.reload();
  }, PERIOD_MS);
})();
`;
