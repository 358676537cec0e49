using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace EventLedger.OperatorConsole;

/// <summary>One bar: its label (shown under some bars and in its tooltip) and its value.</summary>
public sealed record Bar(string Label, double Value);

/// <summary>
/// A bar chart as inline SVG, drawn on the server: no script, no chart library, nothing fetched.
/// It carries a title and a description for screen readers; the numbers are also in a table
/// beside it on every page that shows one.
/// </summary>
public static class SvgChart
{
    private const int Width = 960;
    private const int Height = 220;
    private const int Left = 48;
    private const int Bottom = 28;

    /// <summary>At most this many labels under the axis; every bar keeps its tooltip.</summary>
    private const int MaxLabels = 12;

    public static string Bars(string title, IReadOnlyList<Bar> bars, string unit)
    {
        var html = HtmlEncoder.Default;
        var top = Math.Max(1, bars.Select(b => b.Value).DefaultIfEmpty(0).Max());
        var plotWidth = Width - Left - 8;
        var plotHeight = Height - Bottom - 8;
        var slot = bars.Count == 0 ? plotWidth : (double)plotWidth / bars.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg class="chart" role="img" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="chart-title">{html.Encode(title)}</title>""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<desc id="chart-desc">{bars.Count} bars; highest {top.ToString("0.##", CultureInfo.InvariantCulture)} {html.Encode(unit)}.</desc>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{Height - Bottom}" x2="{Width}" y2="{Height - Bottom}" stroke="#4a5260"/>""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text x="{Left - 6}" y="16" text-anchor="end" font-size="12" fill="#1b1f24">{top.ToString("0.##", CultureInfo.InvariantCulture)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 6}" y="{Height - Bottom}" text-anchor="end" font-size="12" fill="#1b1f24">0</text>""");
        var every = Math.Max(1, (int)Math.Ceiling(bars.Count / (double)MaxLabels));
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var h = bar.Value / top * plotHeight;
            var x = Left + (i * slot) + (slot * 0.1);
            var y = Height - Bottom - h;
            svg.Append(CultureInfo.InvariantCulture,
                $"""<rect x="{x:0.##}" y="{y:0.##}" width="{Math.Max(1, slot * 0.8):0.##}" height="{h:0.##}" fill="#0b4f8a"><title>{html.Encode(bar.Label)}: {bar.Value.ToString("0.##", CultureInfo.InvariantCulture)} {html.Encode(unit)}</title></rect>""");
            if (i % every == 0)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<text x="{x:0.##}" y="{Height - 8}" font-size="12" fill="#1b1f24">{html.Encode(bar.Label)}</text>""");
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
