/**
 * The report's only stylesheet, inlined into the page (the CSP allows inline styles and nothing
 * else). Colours are custom properties so one set of rules serves light, dark and print (the
 * dark palette is for screens only: paper is white); SVG charts use classes, never hard-coded
 * colours, so they follow the theme too.
 */
export const REPORT_CSS = `
:root{color-scheme:light dark;
--bg:#ffffff;--fg:#1d232b;--muted:#5b6573;--line:#d6dbe1;--panel:#f4f6f8;--accent:#2563eb;
--error:#c81e1e;--warning:#d97706;--info:#2f6fb0;--good:#16794a;--neutral:#6b7280;
--dot:#2563eb;--box:#93b4f5;--p50:#1d232b;--p95:#d97706;--p99:#c81e1e;--cov-no:#e3e7ec}
@media screen and (prefers-color-scheme:dark){:root{
--bg:#12161c;--fg:#e4e8ee;--muted:#9aa4b2;--line:#313a46;--panel:#1b212a;--accent:#6ea1ff;
--error:#f05252;--warning:#f5a524;--info:#5ea3e8;--good:#3fbf7f;--neutral:#9aa4b2;
--dot:#6ea1ff;--box:#2f4f8f;--p50:#e4e8ee;--p95:#f5a524;--p99:#f05252;--cov-no:#313a46}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header.report,main,footer{max-width:1100px;margin:0 auto;padding:0 24px}
header.report{padding-top:24px;border-bottom:1px solid var(--line)}
h1{font-size:1.7rem;margin:0 0 4px}h2{font-size:1.3rem;margin:2.2rem 0 .8rem;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.2rem 0 .5rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
pre{background:var(--panel);padding:12px;border-radius:6px;white-space:pre-wrap}
.muted,.meta{color:var(--muted)}.meta{margin:0 0 12px}
nav.toc ol{display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:12px 0;list-style:none}
nav.toc a{color:var(--accent);text-decoration:none}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:.82em;font-weight:600;color:#fff;background:var(--neutral);white-space:nowrap}
.sev-high,.sev-error,.conf-low,.bad{background:var(--error)}.sev-medium,.sev-warning,.conf-medium{background:var(--warning)}
.sev-low,.sev-info{background:var(--info)}.good,.conf-high{background:var(--good)}.neutral{background:var(--neutral)}
.facts{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.fact{background:var(--panel);border-radius:8px;padding:10px 14px;min-width:140px}
.fact-value{display:block;font-size:1.5rem;font-weight:700}.fact-label{color:var(--muted);font-size:.85em}
.two-col{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:0 32px}
.does-not-work li::marker{color:var(--error)}.works li::marker{color:var(--good)}
dl.facts-list{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.facts-list dt{color:var(--muted)}dl.facts-list dd{margin:0}
.table-wrap{overflow-x:auto}
table.data{border-collapse:collapse;width:100%;margin:8px 0;font-size:.92em}
table.data caption{text-align:left;color:var(--muted);font-size:.85em;padding:4px 0}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
table.data th{background:var(--panel);font-weight:600}
table.numeric td:not(:first-child),table.numeric th:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}
table.data ul{margin:0;padding-left:18px}
details{margin:6px 0}summary{cursor:pointer;color:var(--accent)}
ol.questions li{margin-bottom:10px}ol.questions p{margin:0}p.question{font-weight:600}
.not-measured{background:var(--panel);border-left:4px solid var(--neutral);padding:8px 12px}
.empty{color:var(--muted);font-style:italic}
pre.does-not-fit{border-left:4px solid var(--error)}
figure.chart{margin:16px 0;padding:12px;background:var(--panel);border-radius:8px;break-inside:avoid}
figure.chart svg{display:block;max-width:100%;height:auto}
figcaption{font-size:.9em;margin-top:6px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.85em;color:var(--muted);margin-top:6px}
.key{display:inline-flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:14px;height:10px;border-radius:2px}
.swatch.dot{width:8px;height:8px;border-radius:50%;background:var(--dot);opacity:.5}.swatch.box{background:var(--box)}
.swatch.p50{width:3px;height:14px;background:var(--p50)}.swatch.p95{width:3px;height:14px;background:var(--p95)}.swatch.p99{width:3px;height:14px;background:var(--p99)}
.swatch.bar-ok{background:var(--neutral)}.swatch.bar-429{background:var(--error)}.swatch.bar-failed{background:var(--warning)}
.swatch.remaining{height:3px;background:var(--accent)}.swatch.cov-yes{background:var(--good)}.swatch.cov-no{background:var(--cov-no)}
svg text{fill:var(--fg);font-size:11px;font-family:inherit}
svg .tick,svg .axis-title,svg .more-note{fill:var(--muted)}svg .remaining-tick{fill:var(--accent)}
svg .grid{stroke:var(--line);stroke-width:1}svg .axis{stroke:var(--muted)}
svg .dots circle{fill:var(--dot);fill-opacity:.35}svg .dots.few circle{r:3px;fill-opacity:.85}
svg .whisker{stroke:var(--muted);stroke-width:1.5}svg .box{fill:var(--box);fill-opacity:.8}
svg line.p50{stroke:var(--p50);stroke-width:3}svg line.p95{stroke:var(--p95);stroke-width:2.5}svg line.p99{stroke:var(--p99);stroke-width:2.5}
svg .bar-ok{fill:var(--neutral);fill-opacity:.55}svg .bar-429{fill:var(--error)}svg .bar-failed{fill:var(--warning)}
svg .tick-429{stroke:var(--error);stroke-width:1.5}
svg .remaining{fill:none;stroke:var(--accent);stroke-width:2}
svg .cov-yes{fill:var(--good)}svg .cov-no{fill:var(--cov-no)}
svg .cell.empty{fill:var(--line);fill-opacity:.35}
svg .cell.error rect{fill:var(--error)}svg .cell.warning rect{fill:var(--warning)}svg .cell.info rect{fill:var(--info)}
svg .cell text{font-size:10.5px;font-weight:600}svg text.on-strong{fill:#fff}
svg .col-head{font-size:10.5px}
footer{color:var(--muted);font-size:.85em;padding:32px 24px}
@media print{
:root{color-scheme:light}
body{font-size:10.5pt}nav.toc,details>summary{display:none}
details::details-content{content-visibility:visible;display:contents}
h2{break-after:avoid}tr,figure.chart,li{break-inside:avoid}
a{color:inherit;text-decoration:none}}
`;
