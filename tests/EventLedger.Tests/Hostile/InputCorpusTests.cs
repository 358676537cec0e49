using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using EventLedger.Suv;
using EventLedger.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using static EventLedger.Tests.Hostile.HandWrittenCorpus;

namespace EventLedger.Tests.Hostile;

/// <summary>A switch of its own: nothing else writes to its ledger while the corpus runs, so "nothing appended" is exact.</summary>
[CollectionDefinition(Name)]
public sealed class HostileGroup : ICollectionFixture<SwitchFixture>
{
    public const string Name = "hostile";
}

/// <summary>One request as a hostile client sends it.</summary>
/// <param name="ExpectedErrorType">When set, the SUV error type the answer must carry (not just any 4xx).</param>
public sealed record Probe(
    string Method, string Path, byte[]? Body = null, string? ContentType = "application/json", string? Authorization = "client", string? ExpectedErrorType = null)
{
    public static Probe Json(string path, string body, string? contentType = "application/json") => new("POST", path, Encoding.UTF8.GetBytes(body), contentType);

    public override string ToString() =>
        $"{Method} {Path} [{ContentType}] {(Body is null ? "" : Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 120)]))}";
}

/// <summary>
/// Hostile input against every endpoint: every answer is a 4xx ErrorDetail (SUV) or problem
/// document (operations), never a 5xx or a stack trace; nothing is appended to any stream; the
/// switch serves normally afterwards.
/// </summary>
[Collection(HostileGroup.Name)]
public sealed class InputCorpusTests(SwitchFixture fixture, ITestOutputHelper output)
{
    /// <summary>A valid confirmation of a request no one made: 404, nothing written.</summary>
    private static JsonObject Confirmation() => JsonNode.Parse(SuvJson.Serialize(Messages.Confirmation(Guid.NewGuid().ToString())))!.AsObject();

    [Fact]
    public async Task The_hand_written_corpus_gets_error_documents_and_writes_nothing()
    {
        var probes = HandWrittenCorpus.All().ToList();

        var (appended, failures) = await PlayAsync(probes);

        output.WriteLine($"{probes.Count} hand-written cases, {failures.Count} wrong answers, {appended} events appended");
        failures.Should().BeEmpty();
        appended.Should().Be(0);
        await ServesNormallyAsync();
    }

    [Fact]
    public async Task Generated_hostile_values_in_every_field_get_error_documents_and_write_nothing()
    {
        var probes = new List<Probe>();
        Gen.Select(Gen.Int[0, RedemptionFields.Length - 1], HostileValue, Gen.Bool).Sample(t =>
        {
            var (field, value, confirmation) = t;
            var message = confirmation ? Confirmation() : Redemption();
            var path = confirmation ? AdviceFields[field % AdviceFields.Length] : RedemptionFields[field];
            Set(message, path, value());
            probes.Add(Probe.Json(confirmation ? Confirmations : HandWrittenCorpus.Redemptions, message.ToJsonString()));
        }, iter: 400, threads: 1);
        Gen.Select(Gen.Int[0, LookupParameters.Length - 1], HostileText).Sample(t =>
            probes.Add(new Probe("GET", $"/suv/v1/vouchers?{LookupParameters[t.Item1]}={Uri.EscapeDataString(t.Item2)}")), iter: 100, threads: 1);

        var (appended, failures) = await PlayAsync(probes);

        output.WriteLine($"{probes.Count} generated cases, {failures.Count} wrong answers, {appended} events appended");
        failures.Should().BeEmpty();
        appended.Should().Be(0);
        await ServesNormallyAsync();
    }

    private static readonly string[] RedemptionFields =
    [
        "id", "time", "client.id", "originator.institution.id", "originator.terminalId", "originator.merchant.merchantId",
        "originator.merchant.merchantType", "originator.merchant.merchantName.country", "thirdPartyIdentifiers.0.institutionId",
        "thirdPartyIdentifiers.0.transactionIdentifier", "voucher.code", "amounts.requestAmount.amount", "amounts.requestAmount.currency",
        "voucher", "amounts", "thirdPartyIdentifiers",
    ];

    private static readonly string[] AdviceFields = ["id", "requestId", "time", "thirdPartyIdentifiers.0.institutionId", "amounts"];

    private static readonly string[] LookupParameters = ["voucherCode", "provisionRequestId", "receiverInstId", "voucherSerialNumber"];

    /// <summary>Text no patterned field may hold: whitespace and control characters around a valid value, other digits, over-long text.</summary>
    private static readonly Gen<string> HostileText = Gen.OneOf(
        Gen.Const("710\n"), Gen.Const(" 710"), Gen.Const("710 "), Gen.Const("7\u06F10"), Gen.Const("\u0000"), Gen.Const("a\u0007b"),
        Gen.Const("2026-11-25T10:03:03.504Z\n"), Gen.Const("0000-00-00T00:00:00Z"), Gen.Const("9999-12-31T23:59:60Z"),
        Gen.Const(Guid.NewGuid() + "\n"), Gen.Const("\t" + Guid.NewGuid()), Gen.Int[300, 3_000].Select(n => new string('9', n)),
        Gen.Char[(char)0, (char)31].Array[1, 20].Select(chars => new string(chars)));

    /// <summary>Values of the wrong type, nulls, numbers at and past the int64 limits, deep nesting.</summary>
    private static readonly Func<JsonNode?>[] Misfits =
    [
        () => null, () => JsonValue.Create(true), () => new JsonArray(), () => new JsonObject(), () => JsonValue.Create(long.MinValue),
        () => JsonValue.Create(-1), () => JsonValue.Create(0.5), () => JsonNode.Parse("9223372036854775808"), () => JsonNode.Parse("1e400"),
        () => JsonNode.Parse(string.Concat(Enumerable.Repeat("[", 60)) + string.Concat(Enumerable.Repeat("]", 60))),
    ];

    /// <summary>A value for any field: hostile text or a misfit.</summary>
    private static readonly Gen<Func<JsonNode?>> HostileValue = Gen.OneOf(
        HostileText.Select(t => (Func<JsonNode?>)(() => JsonValue.Create(t))),
        Gen.Int[0, Misfits.Length - 1].Select(i => Misfits[i]));

    private async Task<(long Appended, List<string> Failures)> PlayAsync(IReadOnlyList<Probe> probes)
    {
        var before = await EventCountAsync();
        var failures = new List<string>();
        using var http = fixture.Host.Server.CreateClient();
        foreach (var probe in probes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Path);
            if (probe.Body is not null)
            {
                request.Content = new ByteArrayContent(probe.Body);
                request.Content.Headers.ContentType = probe.ContentType is null ? null : MediaTypeHeaderValue.Parse(probe.ContentType);
            }

            if (probe.Authorization is { } authorization)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization switch
                {
                    "client" => Basic(SwitchFixture.ClientId, SwitchFixture.ClientPassword),
                    "ops" => Basic(SwitchFixture.OperatorId, SwitchFixture.OperatorPassword),
                    _ => authorization,
                });
            }

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (Wrong(probe, response, body) is { } why)
            {
                failures.Add($"{probe} → {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}: {why}");
            }
        }

        return (await EventCountAsync() - before, failures);
    }

    /// <summary>Why this answer is not a client error with an error document, or null when it is.</summary>
    private static string? Wrong(Probe probe, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status is < 400 or >= 500)
        {
            return "not a 4xx";
        }

        if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
        {
            return "a stack trace";
        }

        if (probe.ExpectedErrorType is { } expected && !body.Contains($"\"errorType\":\"{expected}\"", StringComparison.Ordinal))
        {
            return $"not a {expected}";
        }

        var suv = probe.Path.StartsWith("/suv/", StringComparison.Ordinal);
        var type = response.Content.Headers.ContentType?.MediaType;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return suv
                ? type == "application/json" && root.TryGetProperty("errorType", out var errorType) && errorType.GetString() is { Length: > 0 } ? null : "not an ErrorDetail"
                : type == "application/problem+json" && root.TryGetProperty("status", out _) ? null
                : type == "application/json" && root.TryGetProperty("errorType", out _) && status == 401 ? null : "not a problem document";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    private async Task ServesNormallyAsync()
    {
        using var http = fixture.Host.Server.CreateClient();
        using var ready = await http.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        using var client = fixture.Client();
        (await client.RedeemAsync(Messages.Redemption(await fixture.ProvisionVoucherAsync()))).Status.Should().Be(201);
    }

    private async Task<long> EventCountAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from ledger.mt_events", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
