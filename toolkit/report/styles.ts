/** The report's stylesheet: one calm, readable page; status colours carry the meaning. */
export const REPORT_CSS = `
:root { --bg:#f6f7f9; --card:#fff; --ink:#1f2328; --muted:#656d76; --line:#e3e6ea; --accent:#3b5bdb;
  --pass:#1a7f37; --pass-bg:#dafbe1; --warn:#9a6700; --warn-bg:#fff8c5; --fail:#cf222e; --fail-bg:#ffebe9; --skip:#656d76; --skip-bg:#eef1f4; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
header.top { background:#111827; color:#f9fafb; padding:20px 32px; }
header.top h1 { margin:0 0 4px; font-size:20px; font-weight:600; letter-spacing:.2px; }
header.top .meta { color:#cbd5e1; font-size:13px; display:flex; flex-wrap:wrap; gap:6px 18px; }
header.top .meta b { color:#f9fafb; font-weight:500; }
nav.toc { position:sticky; top:0; z-index:5; background:rgba(246,247,249,.95); border-bottom:1px solid var(--line); padding:8px 32px; display:flex; flex-wrap:wrap; gap:4px 16px; font-size:13px; }
nav.toc a { color:var(--muted); text-decoration:none; } nav.toc a:hover { color:var(--accent); }
main { max-width:1280px; margin:0 auto; padding:24px 32px 64px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:20px 24px; margin:0 0 20px; }
section > h2 { margin:0 0 14px; font-size:17px; font-weight:600; }
h3 { font-size:14px; margin:18px 0 8px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.4px; }
.empty { color:var(--muted); font-style:italic; margin:4px 0; }
.verdict { display:flex; align-items:center; gap:20px; border-radius:10px; padding:18px 24px; margin:0 0 20px; border:1px solid; }
.verdict .word { font-size:28px; font-weight:700; letter-spacing:1px; }
.verdict .counts { display:flex; gap:16px; font-size:14px; } .verdict .why { color:var(--ink); font-size:13px; margin-top:4px; }
.verdict.pass { background:var(--pass-bg); border-color:#aceebb; color:var(--pass); }
.verdict.warn { background:var(--warn-bg); border-color:#eed888; color:var(--warn); }
.verdict.fail { background:var(--fail-bg); border-color:#ffcecb; color:var(--fail); }
.verdict.none, .verdict.interrupted { background:var(--skip-bg); border-color:var(--line); color:var(--skip); }
.badge { display:inline-block; min-width:46px; text-align:center; border-radius:999px; padding:1px 8px; font-size:11px; font-weight:700; letter-spacing:.5px; }
.badge.pass { background:var(--pass-bg); color:var(--pass); } .badge.warn { background:var(--warn-bg); color:var(--warn); }
.badge.fail { background:var(--fail-bg); color:var(--fail); } .badge.skip { background:var(--skip-bg); color:var(--skip); }
table { border-collapse:collapse; width:100%; font-size:13px; }
th { text-align:left; color:var(--muted); font-weight:600; font-size:12px; border-bottom:1px solid var(--line); padding:6px 10px; white-space:nowrap; }
td { border-bottom:1px solid #f0f2f4; padding:6px 10px; vertical-align:top; }
tr:last-child td { border-bottom:0; }
/* Names of any length (a check named with 10,000 characters) wrap inside their cell: the page never scrolls sideways. */
td.long { overflow-wrap:anywhere; word-break:break-word; min-width:12em; }
td, .verdict .why { overflow-wrap:anywhere; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td code, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12px; }
.ptr { color:var(--muted); font-size:11px; }
.bar { position:relative; height:6px; background:#eef1f4; border-radius:3px; min-width:80px; }
.bar > span { position:absolute; left:0; top:0; bottom:0; background:var(--accent); border-radius:3px; }
.kpis { display:grid; grid-template-columns:repeat(auto-fill,minmax(170px,1fr)); gap:12px; margin:0 0 8px; }
.kpi { border:1px solid var(--line); border-radius:8px; padding:10px 14px; }
.kpi .label { color:var(--muted); font-size:12px; } .kpi .value { font-size:22px; font-weight:600; font-variant-numeric:tabular-nums; }
.kpi .sub { color:var(--muted); font-size:12px; }
.charts { display:grid; grid-template-columns:repeat(auto-fill,minmax(520px,1fr)); gap:16px; }
.chart { border:1px solid var(--line); border-radius:8px; padding:10px 12px 4px; min-height:250px; }
.chart h4 { margin:0 0 6px; font-size:13px; font-weight:600; }
.legend { display:flex; flex-wrap:wrap; gap:2px 14px; font-size:12px; padding:4px 2px 6px; color:var(--ink); }
.legend .li i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
.legend .lv { font-weight:500; color:var(--muted); font-variant-numeric:tabular-nums; }
.phase-layer { position:absolute; inset:0; pointer-events:none; }
.phase-band { position:absolute; top:0; bottom:0; background:rgba(59,91,219,.06); border-left:1px dashed rgba(59,91,219,.45); }
.phase-band.odd { background:rgba(232,89,12,.06); border-left-color:rgba(232,89,12,.45); }
.phase-band span { position:absolute; top:2px; left:4px; font-size:10px; color:var(--muted); white-space:nowrap; overflow:hidden; max-width:calc(100% - 6px); }
.indent { padding-left:28px; } tr.group-pass td { color:var(--muted); }
.delta { color:var(--muted); } .delta.significant { color:var(--fail); font-weight:600; }
.nowrap { white-space:nowrap; }
.facts { display:flex; flex-wrap:wrap; gap:4px 18px; font-size:12px; color:var(--muted); margin:-12px 0 16px; padding:0 4px; } .facts b { color:var(--ink); font-weight:500; }
.measurement-warnings { background:var(--warn-bg); color:var(--warn); border:1px solid #eed888; border-radius:8px; padding:8px 14px; margin:0 0 16px; font-size:13px; }
.sql { max-width:640px; white-space:pre-wrap; word-break:break-word; }
.scores { display:flex; gap:10px; }
.score { width:44px; height:44px; border-radius:50%; display:flex; align-items:center; justify-content:center; font-weight:700; font-size:14px; border:3px solid; }
.score.good { color:#0c6e3d; border-color:#0cce6b; } .score.ok { color:#8a5a00; border-color:#ffa400; } .score.bad { color:#b3261e; border-color:#ff4e42; } .score.na { color:var(--muted); border-color:var(--line); }
.lh-detail { border-top:1px solid var(--line); margin-top:16px; padding-top:4px; }
.lh-detail h3 { text-transform:none; letter-spacing:0; color:var(--ink); }
table.lh-runs tr.representative td { background:#f3f6ff; } table.lh-runs tr.median td, table.lh-runs tr.median th { border-top:1px solid var(--line); font-weight:600; }
table.lh-findings { margin:4px 0 10px; } .lh-run-warnings { margin-top:8px; }
.score-label { font-size:10px; color:var(--muted); text-align:center; width:44px; }
details summary { cursor:pointer; color:var(--accent); margin:8px 0; }
pre.config { background:#0f172a; color:#e2e8f0; padding:14px; border-radius:8px; overflow:auto; font-size:12px; max-height:420px; }
a { color:var(--accent); }
.muted { color:var(--muted); }
footer { color:var(--muted); font-size:12px; text-align:center; padding:20px; }
@media (max-width: 700px) { main { padding:12px; } .charts { grid-template-columns:1fr; } }
`;
