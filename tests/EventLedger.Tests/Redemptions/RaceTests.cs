using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Redemptions;

/// <summary>Races of real concurrent requests against real PostgreSQL: one resolution, one upstream call.</summary>
[Collection(SwitchTests.Name)]
public sealed class RaceTests(SwitchFixture fixture) : IDisposable
{
    private const int Racers = 64;
    private readonly HttpClient _client = fixture.Client();

    public void Dispose()
    {
        fixture.SimulatorControl.Clear();
        _client.Dispose();
    }

    [Fact]
    public async Task Racing_confirmations_and_reversals_resolve_exactly_once_and_every_loser_gets_the_tables_answer()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        fixture.Logs.Clear();
        using var start = new ManualResetEventSlim();

        var racers = Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return i % 2 == 0
                ? (Kind: AdviceKind.Confirmation, Answer: await _client.ConfirmAsync(Messages.Confirmation(request.Id!)))
                : (Kind: AdviceKind.Reversal, Answer: await _client.ReverseAsync(Messages.Reversal(request.Id!)));
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(racers);

        fixture.Logs.Errors.Should().BeEmpty("a lost race is normal, not an error");
        var events = await fixture.Ledger.EventsAsync(request.Id!);
        var resolutions = events.Where(e => e is RedemptionConfirmed or RedemptionReversed).ToList();
        resolutions.Should().ContainSingle("a redemption is resolved at most once");
        var winner = resolutions[0] is RedemptionConfirmed ? AdviceKind.Confirmation : AdviceKind.Reversal;
        foreach (var (kind, answer) in answers)
        {
            if (kind == winner)
            {
                answer.Status.Should().Be(202, answer.Body);
            }
            else
            {
                answer.Status.Should().Be(400, answer.Body);
                answer.Error.ErrorType.Should().Be(winner == AdviceKind.Confirmation
                    ? ErrorTypes.RedemptionAlreadyConfirmed
                    : ErrorTypes.RedemptionAlreadyReversed);
            }
        }
    }

    [Fact]
    public async Task Repeated_advices_racing_with_duplicate_requests_are_each_answered_as_the_first_time()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var confirmation = Messages.Confirmation(request.Id!);
        var reversal = Messages.Reversal(request.Id!);
        using var start = new ManualResetEventSlim();

        var racers = Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (i % 3) switch
            {
                0 => (Kind: "confirmation", Answer: await _client.ConfirmAsync(confirmation)),
                1 => (Kind: "reversal", Answer: await _client.ReverseAsync(reversal)),
                _ => (Kind: "request", Answer: await _client.RedeemAsync(request)),
            };
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(racers);

        var events = await fixture.Ledger.EventsAsync(request.Id!);
        var confirmed = events.OfType<RedemptionConfirmed>().Any();
        events.Count(e => e is RedemptionConfirmed or RedemptionReversed).Should().Be(1);
        answers.Where(a => a.Kind == "request").Should().AllSatisfy(a => a.Answer.Error.ErrorType.Should().Be(ErrorTypes.DuplicateRecord));
        answers.Where(a => a.Kind == "confirmation").Should().AllSatisfy(a => a.Answer.Status.Should().Be(confirmed ? 202 : 400));
        answers.Where(a => a.Kind == "reversal").Should().AllSatisfy(a => a.Answer.Status.Should().Be(confirmed ? 400 : 202));
        // The losing advice is refused once in the ledger, however often it was repeated.
        events.OfType<AdviceRefused>().Should().ContainSingle();
        fixture.Received(Operation.Redeem, request.Id!).Should().Be(1);
    }

    [Fact]
    public async Task Racing_redemptions_with_one_request_id_make_exactly_one_upstream_call()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code);
        // Slow the provider so that every racer arrives while the first is still in flight.
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: 300, Times: 1));
        using var start = new ManualResetEventSlim();

        var racers = Enumerable.Range(0, Racers).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await _client.RedeemAsync(request);
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(racers);

        answers.Count(a => a.Status == 201).Should().Be(1);
        answers.Where(a => a.Status != 201).Should().AllSatisfy(a =>
        {
            a.Status.Should().Be(400);
            a.Error.ErrorType.Should().Be(ErrorTypes.DuplicateRecord);
        });
        fixture.Received(Operation.Redeem, request.Id!).Should().Be(1);
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<RedemptionRequested>().Should().ContainSingle();
    }

    [Fact]
    public async Task A_reversal_racing_the_request_in_flight_is_forwarded_once_the_approval_lands()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code);
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: 500, Times: 1));

        var redemption = _client.RedeemAsync(request);
        await Eventually.ReturnsAsync(() => fixture.Ledger.EventsAsync(request.Id!), e => e.Count > 0, TimeSpan.FromSeconds(10), "the request to be recorded");
        var reversal = await _client.ReverseAsync(Messages.Reversal(request.Id!));
        var redeemed = await redemption;

        reversal.Status.Should().Be(202);
        redeemed.Status.Should().Be(201);
        (await fixture.Ledger.EventsAsync(request.Id!)).Select(e => e.GetType()).Take(4).Should().Equal(
            typeof(RedemptionRequested), typeof(RedemptionReversed), typeof(VoucherRedeemed), typeof(PendingReversalSettled));
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<PendingReversalSettled>().Single().Delivery.Should().Be(AdviceDelivery.Forward);
    }
}
