using System.Text;
using System.Text.Json.Nodes;
using EventLedger.ProviderSimulator;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using Npgsql;

namespace EventLedger.Tests.Integrity;

/// <summary>A provider that echoes the voucher's code and PIN everywhere it can puts neither in the ledger, the logs or an answer.</summary>
[Collection(SwitchTests.Name)]
public sealed class SecretsTests(SwitchFixture fixture) : IDisposable
{
    // Letters no hex id or number can hold: found in the ledger, it can only have come from here.
    private const string Pin = "K7QX9W";
    private readonly HttpClient _client = fixture.Client();

    public void Dispose()
    {
        fixture.SimulatorControl.Clear();
        _client.Dispose();
    }

    [Fact]
    public async Task Codes_and_pins_a_provider_echoes_are_masked_before_anything_keeps_or_passes_them_on()
    {
        var approvedCode = await fixture.ProvisionVoucherAsync();
        var approved = WithPin(Messages.Redemption(approvedCode));
        fixture.SimulatorControl.Add(Raw(Operation.Redeem, Upstream.Request(approved.Id!), 201, EchoingApproval(approved)));
        var declinedCode = await fixture.ProvisionVoucherAsync();
        var declined = WithPin(Messages.Redemption(declinedCode));
        fixture.SimulatorControl.Add(Raw(Operation.Redeem, Upstream.Request(declined.Id!), 400, EchoingError(declinedCode, "VOUCHER_NOT_REDEEMABLE")));
        var confirmation = Messages.Confirmation(approved.Id!);
        fixture.SimulatorControl.Add(Raw(Operation.ConfirmRedemption, Upstream.Advice(confirmation), 400, EchoingError(approvedCode, approvedCode)));

        var approvedAnswer = await _client.RedeemAsync(approved);
        var declinedAnswer = await _client.RedeemAsync(declined);
        (await _client.ConfirmAsync(confirmation)).Status.Should().Be(202);
        await Eventually.ReturnsAsync(() => fixture.Ledger.DeliveryAsync(approved.Id!, confirmation.Id!),
            d => d?.Status == EventLedger.StoreAndForward.DeliveryStatus.Refused, TimeSpan.FromSeconds(20), "the provider's refusal to be recorded");
        var approvedLookup = await SettledLookupAsync(approved.Id!);
        // A voucher lookup whose provider echoes the code in its refusal.
        fixture.SimulatorControl.Add(Raw(Operation.Lookup, declinedCode, 404, EchoingError(declinedCode, "UNABLE_TO_LOCATE_RECORD")));
        using (var lookup = await _client.GetAsync($"/suv/v1/vouchers?voucherCode={declinedCode}"))
        {
            ((int)lookup.StatusCode).Should().Be(404);
        }

        approvedAnswer.Status.Should().Be(201);
        declinedAnswer.Status.Should().Be(400);
        foreach (var (what, text) in new[]
                 {
                     ("the approval the originator got", approvedAnswer.Body), ("the decline the originator got", declinedAnswer.Body),
                     ("the approval a lookup replays", approvedLookup), ("the ledger", await LedgerTextAsync()),
                     ("the logs", string.Join('\n', fixture.Logs.Entries.Select(e => e.Message + e.Exception))),
                 })
        {
            foreach (var secret in new[] { approvedCode, declinedCode, Pin })
            {
                text.Should().NotContainEquivalentOf(secret, $"{what} must not hold a voucher code or PIN");
            }

            foreach (var password in new[] { SwitchFixture.ClientPassword, SwitchFixture.OtherClientPassword, SwitchFixture.OperatorPassword })
            {
                text.Should().NotContain(password, $"{what} must not hold a password");
            }
        }

        approvedAnswer.Body.Should().Contain("Thank you", "only the secrets are masked, the rest of the provider's text stays");
        approvedAnswer.Body.Should().Contain(approvedCode[^4..], "a code is masked as everywhere else, its last four shown");
    }

    private static RedemptionRequest WithPin(RedemptionRequest request) =>
        request with { Voucher = request.Voucher! with { Pin = new Pin { Type = "CLEAR_PIN", ClearPin = Pin } } };

    private static Behaviour Raw(string operation, string id, int status, string body) =>
        new(operation, BehaviourAction.Raw, Status: status, BodyBase64: Convert.ToBase64String(Encoding.UTF8.GetBytes(body)), MatchId: id);

    private static string EchoingApproval(RedemptionRequest request)
    {
        var code = request.Voucher!.Code!;
        return SuvJson.Serialize(new RedemptionResponse
        {
            Id = Upstream.Request(request.Id!),
            Time = request.Time,
            Originator = request.Originator,
            Client = new Institution { Id = SwitchFixture.SwitchInstitution, Name = "Switch" },
            Receiver = new Institution { Id = SwitchFixture.SimulatedProvider, Name = "Provider" },
            ThirdPartyIdentifiers = [new ThirdPartyIdentifier { InstitutionId = SwitchFixture.SimulatedProvider, TransactionIdentifier = code }],
            SlipData = new SlipData
            {
                MessageLines = [new SlipLine { Text = $"Voucher {code} redeemed" }, new SlipLine { Text = $"PIN:{Pin}. Thank you" }],
            },
            Voucher = new Voucher { Code = code, RedeemInstructions = [$"Dial *120*{code.ToLowerInvariant()}#", $"pin {Pin}"], Pin = new Pin { Type = "CLEAR_PIN", ClearPin = Pin } },
            Amounts = request.Amounts,
        });
    }

    private static string EchoingError(string code, string errorType) => SuvJson.Serialize(new ErrorDetail
    {
        Id = Guid.NewGuid().ToString(),
        ErrorType = errorType,
        ErrorMessage = $"voucher {code} pin {Pin} not ok",
        ProviderErrorMessage = code,
        DetailMessage = new JsonObject
        {
            ["formatErrors"] = new JsonArray(new JsonObject { ["field"] = "voucher.code", ["msg"] = "bad", ["value"] = code }),
            ["note"] = $"({code})",
        },
    });

    private async Task<string> SettledLookupAsync(string requestId)
    {
        Func<Task<string?>> lookup = async () =>
        {
            using var response = await _client.GetAsync($"/suv/v1/redemptions/{requestId}");
            return response.StatusCode == System.Net.HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        };
        return await Eventually.ReturnsAsync<string?>(lookup, body => body is not null, TimeSpan.FromSeconds(20), "the redemption to settle for lookups") ?? "";
    }

    /// <summary>Every row of every table of the switch's schemas, as text.</summary>
    private async Task<string> LedgerTextAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select format('%I.%I', table_schema, table_name) from information_schema.tables " +
            "where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"select coalesce(string_agg(t::text, E'\\n'), '') from {table} t", connection);
            text.AppendLine((string)(await dump.ExecuteScalarAsync())!);
        }

        return text.ToString();
    }
}
