using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using EventLedger.Operations;
using EventLedger.Redemptions;
using Wolverine.Http;

namespace EventLedger.Finance;

/// <summary>One line of a provider's settlement file (CSV with this header, see docs/operations.md).</summary>
public sealed record SettlementLine(string RequestId, string? ProviderReference, long AmountMinor, string Currency, string Status);

public enum MatchResult
{
    Matched,
    MissingAtSwitch,
    MissingAtProvider,
    AmountMismatch,
    StateMismatch,
}

/// <summary>One row of the match report: both sides where they exist.</summary>
public sealed record MatchRow(
    MatchResult Result, string RequestId, string? ProviderReference, string? SwitchStatus, string? ProviderStatus,
    long? SwitchAmountMinor, long? ProviderAmountMinor, string? Currency);

public sealed record MatchReport(string Provider, string Day, int Matched, int Breaks, IReadOnlyList<MatchRow> Rows);

/// <summary>Matches a provider's settlement file for a day against the switch's own record of it.</summary>
public static class SettlementMatch
{
    public const string Redeemed = "REDEEMED";
    public const string Reversed = "REVERSED";

    [WolverinePost("/ops/v1/finance/days/{day}/settlements/{provider}", OperationId = "matchSettlement")]
    public static async Task<IResult> Post(string day, string provider, HttpContext context, BusinessDays days, FinanceOptions options)
    {
        if (!BusinessDays.TryParseDay(day, out var date))
        {
            return Results.Problem("day must be yyyy-MM-dd", statusCode: 400);
        }

        if (context.Request.ContentLength > options.MaxSettlementFileBytes)
        {
            return Results.Problem($"the file may be at most {options.MaxSettlementFileBytes} bytes", statusCode: 413);
        }

        IReadOnlyList<SettlementLine> lines;
        try
        {
            lines = await ReadAsync(context.Request.Body, options.MaxSettlementFileBytes, context.RequestAborted);
        }
        catch (Exception ex) when (ex is CsvHelperException or InvalidDataException)
        {
            return Results.Problem("the settlement file is not valid: " + ex.Message.Split('\n')[0], statusCode: 400);
        }

        var views = (await days.RedemptionsAsync(date, context.RequestAborted)).Where(v => v.ProviderId == provider).ToList();
        var report = Match(provider, day, views, lines);
        return DayEndpoints.WantsCsv(context) ? DayEndpoints.Csv(report.Rows) : Results.Json(report, AdviceOperations.Json);
    }

    /// <summary>Every line and every settle-able redemption lands in exactly one result.</summary>
    public static MatchReport Match(string provider, string day, IReadOnlyList<RedemptionView> views, IReadOnlyList<SettlementLine> lines)
    {
        var byRequest = views.GroupBy(v => v.RequestId.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        var seen = new HashSet<string>();
        var rows = new List<MatchRow>();
        foreach (var line in lines)
        {
            var key = line.RequestId.ToLowerInvariant();
            seen.Add(key);
            if (!byRequest.TryGetValue(key, out var view))
            {
                rows.Add(new MatchRow(MatchResult.MissingAtSwitch, line.RequestId, line.ProviderReference, null, line.Status, null, line.AmountMinor, line.Currency));
                continue;
            }

            var switchRedeemed = view.Status is TransactionStatus.Approved or TransactionStatus.Confirmed;
            var providerRedeemed = line.Status == Redeemed;
            var result = switchRedeemed != providerRedeemed ? MatchResult.StateMismatch
                : providerRedeemed && (BusinessDays.Amount(view) != line.AmountMinor || view.Currency != line.Currency) ? MatchResult.AmountMismatch
                : MatchResult.Matched;
            rows.Add(new MatchRow(result, view.RequestId, line.ProviderReference ?? view.ProviderReference, view.Status.ToString(), line.Status,
                BusinessDays.Amount(view), line.AmountMinor, view.Currency ?? line.Currency));
        }

        foreach (var view in views.Where(v => v.Status is TransactionStatus.Approved or TransactionStatus.Confirmed && !seen.Contains(v.RequestId.ToLowerInvariant())))
        {
            rows.Add(new MatchRow(MatchResult.MissingAtProvider, view.RequestId, view.ProviderReference, view.Status.ToString(), null,
                BusinessDays.Amount(view), null, view.Currency));
        }

        var matched = rows.Count(r => r.Result == MatchResult.Matched);
        return new MatchReport(provider, day, matched, rows.Count - matched, rows);
    }

    public static async Task<IReadOnlyList<SettlementLine>> ReadAsync(Stream body, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        if (buffer.Length > maxBytes)
        {
            throw new InvalidDataException($"the file may be at most {maxBytes} bytes");
        }

        buffer.Position = 0;
        using var text = new StreamReader(buffer);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
        });
        var lines = new List<SettlementLine>();
        await foreach (var line in csv.GetRecordsAsync<SettlementLine>(ct))
        {
            if (line.Status is not (Redeemed or Reversed))
            {
                throw new InvalidDataException($"line {lines.Count + 2}: status must be {Redeemed} or {Reversed}");
            }

            lines.Add(line);
        }

        return lines;
    }
}
