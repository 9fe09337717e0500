// The site's one stylesheet and one script, written beside the pages (no CDN, no network: the site
// works from file:// and any static host). The script only enhances: without it every list is whole.

export const STYLESHEET = `
:root { --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa;
  --critical: #8b0000; --high: #c2410c; --medium: #a16207; --low: #15803d; --unknown: #4b5563; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header.site, main, footer.site { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1.25rem; }
header.site { border-bottom: 1px solid var(--line); }
header.site a { color: inherit; text-decoration: none; font-weight: 600; }
nav.crumbs { font-size: 0.9em; color: var(--muted); }
h1 { font-size: 1.6rem; margin: 0.5rem 0; word-break: break-word; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.93em; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
pre, code { font: 0.9em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 0.75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.risk { display: inline-block; padding: 0 0.45rem; border-radius: 0.25rem; color: #fff; font-weight: 600; font-size: 0.85em; }
.risk-Critical { background: var(--critical); } .risk-High { background: var(--high); } .risk-Medium { background: var(--medium); }
.risk-Low { background: var(--low); } .risk-Unknown { background: var(--unknown); }
.banner { border-left: 0.5rem solid var(--unknown); background: var(--soft); padding: 0.75rem 1rem; margin: 0.75rem 0; }
.banner.risk-Critical { border-color: var(--critical); } .banner.risk-High { border-color: var(--high); }
.banner.risk-Medium { border-color: var(--medium); } .banner.risk-Low { border-color: var(--low); }
.banner { color: var(--fg); } .banner strong { font-size: 1.15em; }
.muted { color: var(--muted); }
.warning { background: #fff7ed; border: 1px solid #fdba74; padding: 0.5rem 0.75rem; }
.description { white-space: pre-wrap; word-break: break-word; }
.filters { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 0.75rem 0; }
.filters input[type=search] { min-width: 16rem; padding: 0.3rem 0.5rem; }
.policy-actions { display: flex; gap: 0.75rem; align-items: center; margin: 0.25rem 0; }
ul.compact { margin: 0.25rem 0; padding-left: 1.25rem; }
footer.site { color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); margin-top: 2rem; }
`;

/**
 * Filters the index (text, risk, coverage), and copies policy blocks. Reads only our own data-*
 * attributes, writes only textContent and hidden flags: no server text becomes markup here either.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var table = document.getElementById('servers');
  if (form && table) {
    form.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var text = form.querySelector('[name=q]');
    var risk = form.querySelector('[name=risk]');
    var coverage = form.querySelector('[name=coverage]');
    var count = document.getElementById('shown');
    var apply = function () {
      var q = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (q === '' || row.getAttribute('data-search').indexOf(q) !== -1) &&
          (risk.value === '' || row.getAttribute('data-risk') === risk.value) &&
          (coverage.value === '' || row.getAttribute('data-coverage') === coverage.value);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + ' of ' + rows.length + ' servers shown';
    };
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      var done = function () { button.textContent = 'Copied'; };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(source.textContent).then(done, function () {});
      else { var range = document.createRange(); range.selectNodeContents(source); var s = window.getSelection(); s.removeAllRanges(); s.addRange(range); button.textContent = 'Selected: press Ctrl+C'; }
    });
  });
})();
`;
