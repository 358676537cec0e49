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
    /// <param name="UpstreamId">The id the provider knows; shared by two facts only for redemptions from before upstream ids.</param>
    public sealed record Fact(
        string UpstreamId, string OriginatorId, string Merchant, string Currency, long Requested, Outcome Outcome, long? Approved,
        string? Reference, Resolution Resolution, bool ResolvedLate);

    public enum Outcome { Approved, Declined, Unknown, None }

    public enum Resolution { None, Confirmed, Reversed }

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static readonly Gen<long> Amount = Gen.Frequency(
        (4, Gen.Long[0, 1_000_000]), (2, Gen.Const(long.MaxValue)), (1, Gen.Long[long.MaxValue - 1_000, long.MaxValue]), (1, Gen.Const(0L)));

    private static readonly Gen<Fact> OneFact = Gen.Select(
        Gen.Select(Gen.Guid, Gen.Guid, Pick("M1", "M2"), Pick("710", "840"), Amount),
        Gen.Select(
            Pick(Outcome.Approved, Outcome.Declined, Outcome.Unknown, Outcome.None),
            Gen.Frequency((3, Amount.Select(a => (long?)a)), (1, Gen.Const((long?)null))),
            Gen.Frequency((3, Gen.Int[1, 99].Select(n => (string?)$"R{n}")), (1, Gen.Const((string?)null))),
            Pick(Resolution.None, Resolution.Confirmed, Resolution.Reversed), Gen.Bool),
        (a, b) => new Fact(a.Item1.ToString(), a.Item2.ToString(), a.Item3, a.Item4, a.Item5, b.Item1, b.Item2, b.Item3, b.Item4, b.Item5));

    /// <summary>Facts, now and then one sharing the previous one's upstream id (two clients' ids from before upstream ids).</summary>
    private static readonly Gen<List<Fact>> FactsGen = Gen.Select(OneFact, Gen.Frequency((9, false), (1, true)), (fact, shares) => (fact, shares))
        .List[0, 25]
        .Select(list => list.Select((f, i) => i > 0 && f.shares ? f.fact with { UpstreamId = list[i - 1].fact.UpstreamId } : f.fact).ToList());

    [Fact]
    public void Day_totals_are_exact_and_equal_the_reference_for_every_ledger()
    {
        FactsGen.Sample(facts =>
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
        var gen = FactsGen.SelectMany(facts => FileGen(facts).Select(file => (facts, file)));
        gen.Sample(t =>
        {
            var views = t.facts.Select(View).ToList();

            var report = SettlementMatch.Match("P", "2026-11-24", views, t.file);

            report.Rows.Select(r => (r.Result, r.RequestId.ToLowerInvariant())).Should().Equal(ReferenceMatch(t.facts, t.file));
            report.Matched.Should().Be(report.Rows.Count(r => r.Result == MatchResult.Matched));
            report.Breaks.Should().Be(report.Rows.Count - report.Matched);
        }, iter: 300);
    }

    /// <summary>A provider's file: some redemptions listed (in any case, right or wrong), some twice, some strangers.</summary>
    private static Gen<List<SettlementLine>> FileGen(List<Fact> facts)
    {
        var known = facts.Count == 0 ? Gen.Guid.Select(g => g.ToString()) : Gen.OneOf(Gen.Int[0, facts.Count - 1].Select(i => facts[i].UpstreamId), Gen.Guid.Select(g => g.ToString()));
        var line = Gen.Select(
            Gen.Select(known, Gen.Bool, Pick(SettlementMatch.Redeemed, SettlementMatch.Reversed), Amount),
            Gen.Select(Pick("710", "840"), Gen.Bool, Gen.Frequency((2, Gen.Const(0)), (2, Gen.Const(1)), (1, Gen.Const(2)))),
            (a, b) =>
            {
                // Mostly what the ledger says, so that matches are common; otherwise anything.
                var (id, upper, status, amount) = a;
                var (currency, right, reference) = b;
                var fact = facts.FirstOrDefault(f => f.UpstreamId == id);
                var stated = right && fact is not null ? (fact.Outcome == Outcome.Approved ? fact.Approved : null) ?? fact.Requested : amount;
                return new SettlementLine(upper ? id.ToUpperInvariant() : id, reference switch { 0 => null, 1 => fact?.Reference, _ => "OTHER" },
                    stated, right && fact is not null ? fact.Currency : currency, status);
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
            (new RedemptionRequested("C1", fact.OriginatorId, "t", "P", "REF", null, fact.Merchant, null, fact.Requested, fact.Currency, "****", "h",
                $$"""{"id":"{{fact.UpstreamId}}"}""", at), at),
        };
        switch (fact.Outcome)
        {
            case Outcome.Approved:
                events.Add((new VoucherRedeemed(201, "{}", fact.Approved, fact.Currency, fact.Reference, at, []), at));
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

        var view = new RedemptionView { Id = "redemption-C1-" + fact.OriginatorId };
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
    private static List<(MatchResult, string)> ReferenceMatch(List<Fact> facts, List<SettlementLine> file)
    {
        List<Fact> Named(string id) => facts.Where(f => f.UpstreamId == id).ToList();
        var rows = new List<(MatchResult, string)>();
        var listed = new HashSet<string>();
        foreach (var line in file)
        {
            var id = line.RequestId.ToLowerInvariant();
            var named = Named(id);
            if (!listed.Add(id))
            {
                rows.Add((MatchResult.Duplicate, id));
                continue;
            }

            if (named.Count != 1)
            {
                rows.Add((named.Count == 0 ? MatchResult.MissingAtSwitch : MatchResult.Ambiguous, id));
                continue;
            }

            var fact = named[0];
            var redeemedHere = Status(fact) is "Approved" or "Confirmed";
            var redeemedThere = line.Status == SettlementMatch.Redeemed;
            var result =
                redeemedThere != redeemedHere || (!redeemedThere && Status(fact) != "Reversed") ? MatchResult.StateMismatch
                : redeemedThere && ((long)Counted(fact) != line.AmountMinor || fact.Currency != line.Currency) ? MatchResult.AmountMismatch
                : line.ProviderReference is { Length: > 0 } theirs && fact.Outcome == Outcome.Approved && fact.Reference is { } ours && ours != theirs
                    ? MatchResult.ReferenceMismatch
                : MatchResult.Matched;
            rows.Add((result, id));
        }

        foreach (var fact in facts.Where(f => Status(f) is "Approved" or "Confirmed"))
        {
            if (Named(fact.UpstreamId).Count > 1)
            {
                rows.Add((MatchResult.Ambiguous, fact.UpstreamId));
            }
            else if (!listed.Contains(fact.UpstreamId))
            {
                rows.Add((MatchResult.MissingAtProvider, fact.UpstreamId));
            }
        }

        return rows;
    }
}
