/**
 * The console's one script, served at /assets/copy.js: a **Copy** button beside a key. Without it
 * the key stays selectable in its field and the page says how to copy it by hand.
 */
export const COPY_JS = `
(function () {
  document.querySelectorAll('[data-select-all]').forEach(function (field) {
    field.addEventListener('focus', function () { field.select(); });
  });
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById('copy-status');
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var say = function (text) { if (status) status.textContent = text; };
      field.focus();
      field.select();
      var copied = function () { say('Copied. Paste it into the app\\'s settings.'); };
      var byHand = function () { say('The browser did not allow copying: the key is selected, press Ctrl+C (or \\u2318C).'); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, byHand);
      } else {
        try { document.execCommand('copy') ? copied() : byHand(); } catch (e) { byHand(); }
      }
    });
  });
})();
`;
