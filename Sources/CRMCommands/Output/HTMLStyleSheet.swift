/// The one style sheet of the board and report pages, inline in each (a page is one file that cron writes and
/// any web server or file share serves). Colours are variables so that dark mode and print only swap them;
/// every width is relative or capped by the screen's, so the page itself never scrolls sideways — only the
/// board's own box and a wide table's do.
enum HTMLStyleSheet {
    static let css: StaticString = """
        :root {
          color-scheme: light dark;
          --page: #f4f6f8; --panel: #ffffff; --text: #1b2430; --muted: #5a6577; --line: #d8dde4;
          --process: #2f6fde; --success: #19824a; --failure: #c4362c; --soft: #e3ebfb;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
          font-size: 16px; line-height: 1.4;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --page: #101317; --panel: #1a1f26; --text: #e5e9ef; --muted: #9ba5b4; --line: #2f3742;
            --process: #6c9fff; --success: #4cc38a; --failure: #ff6d63; --soft: #223352;
          }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--page); color: var(--text); }
        header, main, footer { padding: 1rem clamp(0.75rem, 2vw, 2.5rem); }
        header { padding-bottom: 0; }
        h1 { font-size: clamp(1.3rem, 2.2vw, 2.2rem); margin: 0 0 0.25rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
        footer { color: var(--muted); font-size: 0.875rem; }
        /* A long path or server URI wraps rather than widen a phone's page. */
        footer .database { overflow-wrap: anywhere; }
        .success { --accent: var(--success); }
        .failure { --accent: var(--failure); }

        /* The board: a column per stage side by side; more stages than the screen holds scroll in the box. */
        .board { display: flex; gap: 0.75rem; overflow-x: auto; padding-bottom: 0.5rem; }
        .stage {
          flex: 1 0 14rem; min-width: 0; background: var(--panel); border: 1px solid var(--line);
          border-top: 0.3rem solid var(--accent, var(--process)); border-radius: 0.5rem; padding: 0.75rem;
        }
        .stage h2 { display: flex; justify-content: space-between; gap: 0.5rem; margin: 0; }
        .stage .code { overflow-wrap: anywhere; color: var(--accent, var(--text)); }
        .stage .count { font-variant-numeric: tabular-nums; }
        .stage .name { color: var(--muted); margin: 0 0 0.5rem; overflow-wrap: anywhere; }
        .cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.4rem; }
        .card { border: 1px solid var(--line); border-radius: 0.35rem; padding: 0.4rem 0.5rem; overflow-wrap: anywhere; }
        .card .title { display: block; font-weight: 600; }
        .card .meta, .more, .empty { color: var(--muted); font-size: 0.875rem; }
        .more, .empty { margin: 0.5rem 0 0; }
        /* A phone: the stages one under the other, every one in sight without scrolling sideways. */
        @media (max-width: 40rem) {
          .board { flex-direction: column; overflow-x: visible; }
          .stage { flex: none; }
        }

        /* The report: figures, then panels that fill a wall screen's width in as many columns as fit. */
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr)); gap: 0.75rem; }
        .figure { background: var(--panel); border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.6rem 0.75rem; }
        .figure .label { color: var(--muted); font-size: 0.875rem; display: block; }
        .figure .value { font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
        .figure .detail { color: var(--muted); font-size: 0.875rem; display: block; }
        .panels {
          display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 32rem), 1fr)); gap: 1rem;
          margin-top: 1rem;
        }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.75rem; min-width: 0; }
        /* A table of many columns takes two where the screen has room for two (70rem holds two of 32rem). */
        @media (min-width: 70rem) { .panel.wide { grid-column: span 2; } }
        figure { margin: 0 0 0.75rem; }
        figcaption { color: var(--muted); font-size: 0.875rem; }
        svg { display: block; width: 100%; overflow: hidden; }
        svg text { fill: var(--text); font-size: 13px; }
        svg .muted { fill: var(--muted); }
        svg .track { fill: var(--soft); }
        svg .bar { fill: var(--accent, var(--process)); }
        .table-box { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        th, td { text-align: left; padding: 0.3rem 0.4rem; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
        th { color: var(--muted); font-weight: 600; font-size: 0.8rem; white-space: nowrap; }
        .number { text-align: right; white-space: nowrap; }

        /* Paper: black on white, every stage on the sheet (wrapped, not scrolled), nothing cut in two. */
        @media print {
          :root { --page: #fff; --panel: #fff; --text: #000; --muted: #333; --line: #999; --soft: #eee; font-size: 11pt; }
          .board { flex-wrap: wrap; overflow: visible; }
          .stage, .card, .panel, .figure, tr { break-inside: avoid; }
          .panels { display: block; }
          .panel { margin-bottom: 1rem; }
          .table-box { overflow: visible; }
        }
        """
}
