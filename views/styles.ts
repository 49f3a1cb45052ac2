/**
 * The one stylesheet, compiled into the executable and served at /assets/app.css. Pages use no
 * inline styles or scripts, so the Content-Security-Policy can forbid both.
 */
export const APP_CSS = `
:root { --ink: #1b2733; --muted: #56636f; --line: #d5dce3; --bg: #f4f6f8; --card: #fff; --brand: #0b6e99; --ok: #1d7a46; --warn: #8a5a00; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--brand); }
.bar { min-height: 3.9rem; display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 0.75rem 1.5rem; background: var(--ink); color: #fff; }
.bar a.brand { color: #fff; font-weight: 600; text-decoration: none; }
.bar form { margin: 0; }
.bar button { background: transparent; color: #fff; border: 1px solid #8796a5; padding: 0.3rem 0.9rem; }
main { max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
nav ul.nav { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0.6rem 1.5rem; background: #e4e9ee; border-bottom: 1px solid var(--line); }
nav ul.nav a { color: var(--ink); text-decoration: none; padding: 0.2rem 0; }
nav ul.nav a[aria-current=page] { font-weight: 700; border-bottom: 3px solid var(--brand); }
nav ul.nav a:focus { outline: 3px solid #86c5e6; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.5rem 1.75rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.75rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.25rem; }
.card > h2:first-child { margin-top: 0; }
p { margin: 0.5rem 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.35rem; }
input[type=text], input[type=password] { width: 100%; font: inherit; padding: 0.55rem 0.7rem; border: 1px solid #9aa6b2; border-radius: 6px; }
input.code { font-family: ui-monospace, Menlo, Consolas, monospace; letter-spacing: 0.15em; text-transform: uppercase; max-width: 14rem; }
input:focus, button:focus { outline: 3px solid #86c5e6; outline-offset: 1px; }
.field { margin-bottom: 1rem; }
.help { color: var(--muted); font-size: 0.92rem; }
button { font: inherit; cursor: pointer; padding: 0.55rem 1.2rem; border-radius: 6px; border: 1px solid var(--ink); background: #fff; color: var(--ink); }
button.primary { background: var(--brand); border-color: var(--brand); color: #fff; }
button.danger { border-color: var(--bad); color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin-top: 1rem; }
.actions form { margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1.25rem; margin: 1rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.mono { font-family: ui-monospace, Menlo, Consolas, monospace; }
.notice { border-left: 4px solid var(--brand); background: #eef6fb; padding: 0.75rem 1rem; border-radius: 4px; margin: 1rem 0; }
.notice.success { border-color: var(--ok); background: #edf7f1; }
.notice.warning { border-color: var(--warn); background: #fdf6e7; }
.notice.error { border-color: var(--bad); background: #fdf0ef; }
/* Needs attention (/attention) */
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.attention-group { border-left: 6px solid var(--bad); }
.attention-group h2 { margin-top: 0; }
.attention-org { color: var(--muted); font-weight: 400; }
.attention-what { font-size: 1.08rem; font-weight: 600; }
.attention-tag { color: var(--warn); font-weight: 600; }
.attention-section { margin: 2rem 0 0.75rem; }
.attention-section ~ .attention-group { border-left-color: var(--warn); }
.attention-clear { color: var(--ok); font-weight: 600; }
.attention-documents td .help { display: block; }
ul.choices { list-style: none; padding: 0; margin: 0.5rem 0 1rem; }
ul.choices li { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: 0.6rem 0; border-bottom: 1px solid var(--line); }
ul.choices li:last-child { border-bottom: 0; }
table { width: 100%; border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 0.92rem; }
.state-linked { color: var(--ok); font-weight: 600; }
.state-needs_relink, .state-disconnected, .state-revoked { color: var(--bad); font-weight: 600; }
/* Overview (/): the banner, organisation cards, the charts. */
.banner-title { font-size: 1.05rem; margin: 0 0 0.35rem; }
.banner-list { margin: 0; padding-left: 1.25rem; }
.banner-list li { margin: 0.2rem 0; }
.org-card h3 { margin-top: 0; font-size: 1.2rem; }
table.org-counts { max-width: 32rem; }
table.org-counts td { font-size: 1.15rem; font-weight: 600; }
caption { text-align: left; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1rem 2rem; }
.chart { margin: 0 0 1.5rem; min-width: 0; }
.chart-svg { width: 100%; height: auto; max-height: 15rem; display: block; }
.chart-axis { stroke: var(--muted); stroke-width: 1; }
.chart-limit { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart-tick { fill: var(--muted); font-size: 11px; }
.chart-series-0 { fill: var(--brand); background: var(--brand); }
.chart-series-1 { fill: var(--bad); background: var(--bad); }
.chart-legend { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; font-size: 0.92rem; margin: 0.25rem 0; }
.chart-swatch { display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: -0.1rem; border-radius: 2px; }
table.chart-table { max-width: 28rem; }
/* Documents: the list (/documents) and one document (/documents/{id}) */
.doc-filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0 1rem; align-items: start; }
.doc-filters .doc-search { grid-column: 1 / -1; }
.doc-filters .doc-filter-actions { grid-column: 1 / -1; margin-top: 0; }
select, input[type=date] { font: inherit; width: 100%; padding: 0.5rem 0.6rem; border: 1px solid #9aa6b2; border-radius: 6px; background: #fff; color: var(--ink); }
select:focus, input[type=date]:focus, a:focus, pre.doc-body:focus { outline: 3px solid #86c5e6; outline-offset: 1px; }
.doc-table { overflow-x: auto; }
.doc-status { font-weight: 600; padding-left: 0.9rem; position: relative; }
.doc-status::before { content: ""; position: absolute; left: 0; top: 0.45em; width: 0.55rem; height: 0.55rem; border-radius: 50%; background: var(--muted); }
.doc-status-delivered::before { background: var(--ok); }
.doc-status-failed::before, .doc-status-dead::before { background: var(--bad); }
.doc-status-held::before { background: var(--warn); }
.doc-status-queued::before, .doc-status-sending::before { background: var(--brand); }
.doc-actions { display: flex; flex-wrap: wrap; gap: 1.5rem 2.5rem; align-items: flex-start; margin-top: 1rem; }
.doc-actions form { margin: 0; max-width: 30rem; }
.doc-cancel .field { margin-bottom: 0.6rem; }
.doc-field-error { color: var(--bad); font-weight: 600; margin: 0.25rem 0; }
pre.doc-body { background: #f4f6f8; border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; overflow: auto; max-height: 28rem; font-size: 0.88rem; white-space: pre-wrap; overflow-wrap: anywhere; }
/* Devices and organisations pages (/devices, /organisations) */
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
select { font: inherit; padding: 0.5rem 0.6rem; border: 1px solid #9aa6b2; border-radius: 6px; background: #fff; max-width: 100%; }
select:focus, a:focus { outline: 3px solid #86c5e6; outline-offset: 1px; }
fieldset.field { border: 0; padding: 0; margin: 0 0 1rem; }
fieldset.field legend { font-weight: 600; margin-bottom: 0.35rem; }
.check { display: flex; gap: 0.6rem; align-items: baseline; margin: 0.4rem 0; }
.check label { font-weight: 400; margin: 0; }
.check input { width: 1.1rem; height: 1.1rem; }
.device-actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.device-actions form { margin: 0; }
.copy-row { display: flex; gap: 0.5rem; align-items: center; }
.copy-row input { flex: 1; }
ul.consequences li { margin-bottom: 0.5rem; }
/* Settings and API docs pages (/settings, /docs) */
.check-ok { color: var(--ok); font-weight: 600; }
.check-warn { color: var(--warn); font-weight: 600; }
.check-fail { color: var(--bad); font-weight: 600; }
.settings-detail { overflow-wrap: anywhere; }
.settings-table { overflow-x: auto; }
.settings-table th[scope="row"] { color: inherit; font-weight: 600; white-space: nowrap; font-size: 0.88rem; }
.docs-toc { columns: 2; }
.docs-op { border-top: 1px solid var(--line); padding-top: 0.75rem; margin-top: 1.25rem; }
.docs-method { display: inline-block; min-width: 4.5rem; font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 700; }
.docs-example { background: #f4f6f8; border: 1px solid var(--line); border-radius: 4px; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; max-height: 28rem; }
.docs-required { font-weight: 600; }
/* Mappings page (/mappings) */
.mp-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.mp-form { max-width: 36rem; }
.mp-form select, .mp-inline select { width: 100%; font: inherit; padding: 0.5rem 0.6rem; border: 1px solid #9aa6b2; border-radius: 6px; background: #fff; }
.mp-inline { display: inline-flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0; }
.mp-inline select { width: auto; }
.mp-inline label { margin: 0; }
.mp-error { color: var(--bad); font-weight: 600; margin: 0.25rem 0 0.4rem; }
.mp-invalid { border-left: 4px solid var(--bad); padding-left: 0.8rem; }
.mp-invalid select, .mp-invalid input[type=text] { border: 2px solid var(--bad); }
.mp-summary h2 { margin-top: 0; }
.mp-waiting { border: 2px solid var(--warn); }
.mp-missing, .mp-setting { border-top: 1px solid var(--line); padding-top: 0.5rem; margin-top: 1rem; }
.mp-row-actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
.mp-row-actions button { padding: 0.2rem 0.7rem; }
select:focus { outline: 3px solid #86c5e6; outline-offset: 1px; }
/* Administrators: the bar's name, the QR code, recovery codes, the audit log (/settings, /login/enrol, /settings/audit) */
.bar-who { margin-right: 0.9rem; color: #d5dce3; font-size: 0.92rem; }
svg.qr-code { display: block; margin: 0.75rem 0; border: 1px solid var(--line); }
#recovery-codes { columns: 2; max-width: 28rem; padding-left: 1.2rem; }
.audit-changes { font-size: 0.88rem; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 0.85rem; text-align: center; margin: 2rem 0; }
`;
