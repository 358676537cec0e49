namespace EventLedger.OperatorConsole;

/// <summary>
/// The console's one stylesheet, served by the switch itself (no CDN: switch networks are often
/// closed). Colours meet WCAG AA contrast on white; focus is always visible; tables scroll
/// sideways inside their box below 1280 px rather than squeezing columns.
/// </summary>
public static class ConsoleStyle
{
    public const string Css = """
        :root { --ink: #1b1f24; --muted: #4a5260; --line: #c9ced6; --band: #f3f5f8; --brand: #0b4f8a; --bad: #a4161a; --good: #1d6b2f; --warn: #7a4b00; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        a { color: var(--brand); }
        a:focus, button:focus, input:focus, select:focus, summary:focus, [tabindex]:focus { outline: 3px solid #f0a500; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
        .skip:focus { left: .5rem; }
        header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem; background: var(--brand); color: #fff; }
        header.top a { color: #fff; text-decoration: none; padding: .25rem .1rem; }
        header.top a[aria-current="page"] { border-bottom: 3px solid #fff; }
        header.top nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
        header.top .who { margin-left: auto; display: flex; align-items: center; gap: .75rem; }
        header.top .who button { background: transparent; color: #fff; border: 1px solid #fff; }
        main { padding: 1rem; max-width: 1400px; }
        h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
        h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .75rem; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; background: var(--band); }
        .card .value { font-size: 1.4rem; font-weight: 600; }
        .ok { color: var(--good); } .bad { color: var(--bad); } .warn { color: var(--warn); }
        .table { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
        table { border-collapse: collapse; width: 100%; font-size: .95rem; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
        td.wrap { white-space: normal; word-break: break-word; min-width: 16rem; }
        th { background: var(--band); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        form.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem .75rem; align-items: end; margin-bottom: 1rem; }
        label { display: block; font-size: .9rem; color: var(--muted); }
        input, select { width: 100%; padding: .4rem; font: inherit; border: 1px solid #7a828e; border-radius: 4px; }
        button, .button { display: inline-block; padding: .45rem .9rem; font: inherit; border-radius: 4px; border: 1px solid var(--brand); background: var(--brand); color: #fff; cursor: pointer; text-decoration: none; }
        button.secondary, .button.secondary { background: #fff; color: var(--brand); }
        button.danger { background: var(--bad); border-color: var(--bad); }
        .notice { padding: .6rem .8rem; border-radius: 6px; border: 1px solid var(--line); background: var(--band); margin: .75rem 0; }
        .notice.bad { border-color: var(--bad); background: #fdecec; }
        .notice.good { border-color: var(--good); background: #e9f6ec; }
        .signin { max-width: 24rem; margin: 4rem auto; }
        .signin form { display: grid; gap: .75rem; }
        .chart { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
        pre { white-space: pre-wrap; word-break: break-word; margin: 0; font-size: .85rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        .pager { display: flex; gap: .5rem; margin-top: .75rem; }
        @media (max-width: 900px) { main { padding: .75rem; } header.top .who { margin-left: 0; } }
        """;
}
