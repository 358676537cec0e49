using System.Numerics;
using CsCheck;
using EventLedger.Finance;
using EventLedger.Redemptions;

namespace EventLedger.Tests.Finance;

/// <summary>
/// Settlement matching and day totals against a plain reference, over generated ledgers and files:
/// redemptions in every state with amounts up to the int64 limit, resolutions that come late (the
/// next day), and provider files with duplicates, case variants, strangers and wrong amounts.
/// </summary>
public sealed class ReconciliationProperties
{
    private static readonly DateTimeOffset Day = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What happened to one generated redemption, from which its events are made.</summary>
    public sealed record Fact(
        string UpstreamId, string Merchant, string Currency, long Requested, Outcome Outcome, long? Approved, Resolution Resolution, bool ResolvedLate);

    public enum Outcome { Approved, Declined, Unknown, None }

    public enum Resolution { None, Confirmed, Reversed }

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static readonly Gen<long> Amount = Gen.Frequency(
        (4, Gen.Long[0, 1_000_000]), (2, Gen.Const(long.MaxValue)), (1, Gen.Long[long.MaxValue - 1_000, long.MaxValue]), (1, Gen.Const(0L)));

    private static readonly Gen<Fact> FactGen = Gen.Select(
        Gen.Guid, Pick("M1", "M2"), Pick("710", "840"), Amount,
        Pick(Outcome.Approved, Outcome.Declined, Outcome.Unknown, Outcome.None),
        Gen.Frequency((3, Amount.Select(a => (long?)a)), (1, Gen.Const((long?)null))),
        Pick(Resolution.None, Resolution.Confirmed, Resolution.Reversed), Gen.Bool,
        (id, merchant, currency, requested, outcome, approved, resolution, late) =>
            new Fact(id.ToString(), merchant, currency, requested, outcome, approved, resolution, late));

    [Fact]
    public void Day_totals_are_exact_and_equal_the_reference_for_every_ledger()
    {
        FactGen.List[0, 40].Sample(facts =>
        {
            var totals = new DayTotals();
            foreach (var fact in facts)
            {
                totals.Add(View(fact));
            }

            Render(totals.Result()).Should().Equal(ReferenceTotals(facts));
        }, iter: 300);
    }

    [Fact]
    public void Settlement_matching_gives_the_references_breaks_for_every_ledger_and_file()
    {
        var gen = FactGen.List[0, 25].SelectMany(facts => FileGen(facts).Select(file => (facts, file)));
        gen.Sample(t =>
        {
            var views = t.facts.Select(View).ToList();

            var report = SettlementMatch.Match("P", "2026-11-24", views, t.file);

            report.Rows.Select(r => (r.Result, r.RequestId.ToLowerInvariant())).Should().Equal(ReferenceMatch(t.facts, views, t.file));
            report.Matched.Should().Be(report.Rows.Count(r => r.Result == MatchResult.Matched));
            report.Breaks.Should().Be(report.Rows.Count - report.Matched);
        }, iter: 300);
    }

    /// <summary>A provider's file: some redemptions listed (in any case, right or wrong), some twice, some strangers.</summary>
    private static Gen<List<SettlementLine>> FileGen(List<Fact> facts)
    {
        var known = facts.Count == 0 ? Gen.Guid.Select(g => g.ToString()) : Gen.OneOf(Gen.Int[0, facts.Count - 1].Select(i => facts[i].UpstreamId), Gen.Guid.Select(g => g.ToString()));
        var line = Gen.Select(known, Gen.Bool, Pick(SettlementMatch.Redeemed, SettlementMatch.Reversed), Amount, Pick("710", "840"), Gen.Bool,
            (id, upper, status, amount, currency, right) =>
            {
                // Mostly what the ledger says, so that matches are common; otherwise anything.
                var fact = facts.FirstOrDefault(f => f.UpstreamId == id);
                var stated = right && fact is not null ? (fact.Outcome == Outcome.Approved ? fact.Approved : null) ?? fact.Requested : amount;
                return new SettlementLine(upper ? id.ToUpperInvariant() : id, null, stated, right && fact is not null ? fact.Currency : currency, status);
            });
        return line.List[0, 30];
    }

    /// <summary>The redemption's events as the switch would have written them, folded exactly as the view folds them.</summary>
    private static RedemptionView View(Fact fact)
    {
        var at = Day.AddHours(1);
        var late = fact.ResolvedLate ? Day.AddDays(1).AddHours(3) : at.AddMinutes(1);
        var events = new List<(object Data, DateTimeOffset At)>
        {
            (new RedemptionRequested("C1", fact.UpstreamId, "t", "P", "REF", null, fact.Merchant, null, fact.Requested, fact.Currency, "****", "h",
                $$"""{"id":"{{fact.UpstreamId}}"}""", at), at),
        };
        switch (fact.Outcome)
        {
            case Outcome.Approved:
                events.Add((new VoucherRedeemed(201, "{}", fact.Approved, fact.Currency, null, at), at));
                break;
            case Outcome.Declined:
                events.Add((new RedemptionDeclined(400, "X", "{}", at), at));
                break;
            case Outcome.Unknown:
                events.Add((new RedemptionOutcomeUnknown("r", "{}", at), at));
                break;
        }

        if (fact.Resolution == Resolution.Confirmed)
        {
            events.Add((new RedemptionConfirmed("a", "{}", AdviceDelivery.Forward, late), late));
        }
        else if (fact.Resolution == Resolution.Reversed)
        {
            events.Add((new RedemptionReversed("a", ReversalOrigin.Originator, "CANCELLED", "{}", AdviceDelivery.Forward, late), late));
        }

        var view = new RedemptionView { Id = "redemption-C1-" + fact.UpstreamId };
        for (var i = 0; i < events.Count; i++)
        {
            RedemptionViewProjection.Fold(view, new RedemptionViewProjection.Recorded(events[i].Data, events[i].At, i + 1, i + 1));
        }

        return view;
    }

    /// <summary>The status finance sees, from the facts alone: a decline is final, a resolution otherwise wins.</summary>
    private static string Status(Fact fact) => fact.Outcome switch
    {
        Outcome.Declined => "Declined",
        _ when fact.Resolution == Resolution.Confirmed => "Confirmed",
        _ when fact.Resolution == Resolution.Reversed => "Reversed",
        Outcome.Approved => "Approved",
        Outcome.Unknown => "Unknown",
        _ => "Open",
    };

    private static BigInteger Counted(Fact fact) => fact.Outcome == Outcome.Approved && fact.Approved is { } approved ? approved : fact.Requested;

    private static List<string> ReferenceTotals(List<Fact> facts) =>
    [
        .. facts.GroupBy(f => (f.Merchant, f.Currency)).OrderBy(g => g.Key.Merchant, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g =>
            {
                string Of(string status) =>
                    $"{g.Count(f => Status(f) == status)}/{g.Where(f => Status(f) == status).Aggregate(BigInteger.Zero, (sum, f) => sum + Counted(f))}";
                var net = g.Where(f => Status(f) is "Approved" or "Confirmed").Aggregate(BigInteger.Zero, (sum, f) => sum + Counted(f));
                return $"P {g.Key.Merchant} {g.Key.Currency} {Of("Approved")} {Of("Confirmed")} {Of("Reversed")} {Of("Declined")} {Of("Unknown")} {Of("Open")} {g.Count(f => Status(f) == "NotSent")} {net}";
            }),
    ];

    private static List<string> Render(IReadOnlyList<DayTotal> totals) =>
    [
        .. totals.Select(t => $"{t.Provider} {t.Merchant} {t.Currency} {t.Approved}/{t.ApprovedAmount} {t.Confirmed}/{t.ConfirmedAmount} " +
            $"{t.Reversed}/{t.ReversedAmount} {t.Declined}/{t.DeclinedAmount} {t.Unknown}/{t.UnknownAmount} {t.Open}/{t.OpenAmount} {t.NotSent} {t.NetAmount}"),
    ];

    /// <summary>The breaks by the rules of docs/operations.md, read line by line.</summary>
    private static List<(MatchResult, string)> ReferenceMatch(List<Fact> facts, List<RedemptionView> views, List<SettlementLine> file)
    {
        var rows = new List<(MatchResult, string)>();
        var listed = new HashSet<string>();
        foreach (var line in file)
        {
            var id = line.RequestId.ToLowerInvariant();
            var fact = facts.FirstOrDefault(f => f.UpstreamId == id);
            if (!listed.Add(id))
            {
                rows.Add((MatchResult.Duplicate, id));
                continue;
            }

            if (fact is null)
            {
                rows.Add((MatchResult.MissingAtSwitch, id));
                continue;
            }

            var redeemedHere = Status(fact) is "Approved" or "Confirmed";
            var redeemedThere = line.Status == SettlementMatch.Redeemed;
            var result =
                redeemedThere != redeemedHere || (!redeemedThere && Status(fact) != "Reversed") ? MatchResult.StateMismatch
                : redeemedThere && ((long)Counted(fact) != line.AmountMinor || fact.Currency != line.Currency) ? MatchResult.AmountMismatch
                : MatchResult.Matched;
            rows.Add((result, id));
        }

        rows.AddRange(facts.Where(f => Status(f) is "Approved" or "Confirmed" && !listed.Contains(f.UpstreamId))
            .Select(f => (MatchResult.MissingAtProvider, f.UpstreamId)));
        return rows;
    }
}
